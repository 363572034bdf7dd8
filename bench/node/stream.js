// stream.js: node-postgres + pg-query-stream + JSON.parse, one relation once
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Usage: node stream.js CONNINFO VIEW
//
// Streams `SELECT data FROM VIEW` through pg-query-stream (a cursor, 1,000
// rows a fetch), the json column taken as text and parsed with JSON.parse
// (node-postgres's own json parser is JSON.parse too), one field read. The
// clock starts once connected. Prints the line bench/bench.py reads:
// rows=N bytes=N wall=S cpu=S check=N.
'use strict';

const {Client, types} = require('pg');
const QueryStream = require('pg-query-stream');

const JSON_OID = 114, JSONB_OID = 3802;

async function main() {
    const [uri, view] = process.argv.slice(2);
    if (!uri || !view) {
        console.error('usage: node stream.js CONNINFO VIEW');
        process.exit(2);
    }
    types.setTypeParser(JSON_OID, text => text);
    types.setTypeParser(JSONB_OID, text => text);
    const client = new Client({connectionString: uri});
    await client.connect();
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    let rows = 0, bytes = 0, check = 0;
    const stream = client.query(new QueryStream(`SELECT data FROM ${view}`, [], {batchSize: 1000}));
    for await (const row of stream) {
        const value = JSON.parse(row.data);
        rows++;
        bytes += Buffer.byteLength(row.data);
        check += value.name.length;
    }
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    console.log(`rows=${rows} bytes=${bytes} wall=${wall.toFixed(6)} ` +
        `cpu=${((cpu.user + cpu.system) / 1e6).toFixed(6)} check=${check}`);
    await client.end();
}

main().catch(error => {
    console.error(`stream.js: ${error.message}`);
    process.exit(1);
});
