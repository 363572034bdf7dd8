/* fraise-fault-proxy.h: a TCP proxy on 127.0.0.1 that injects network faults
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * It sits between the client and the real server and forwards bytes both
 * ways, each connection in its own thread (the client under test keeps its
 * main loop to itself). One rule scripts one accepted connection: when the
 * server sends the message that triggers it, the proxy first forwards
 * `partial` bytes of that message, then does what the rule says. Counting
 * messages rather than bytes makes "after 1000 rows" exact whatever the
 * startup exchange looked like. Connections the rule does not name pass.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FRAISE_FAULT_PASS,
  FRAISE_FAULT_CUT,      /* close both sides: the client reads EOF (FIN) */
  FRAISE_FAULT_RESET,    /* close the client side with SO_LINGER 0: RST */
  FRAISE_FAULT_FREEZE,   /* stop forwarding both ways, keep the sockets open */
  FRAISE_FAULT_STALL,    /* stop forwarding for `ms`, then pass */
  FRAISE_FAULT_DRIP,     /* from then on one byte to the client every `ms` */
  FRAISE_FAULT_BYTEWISE, /* from then on one byte per write, both ways */
  FRAISE_FAULT_DELAY,    /* from then on wait `ms` before each write to the client */
  FRAISE_FAULT_DEAF,     /* (at accept) never read, never connect upstream */
} FraiseFaultAction;

/* The trigger of a rule that fires as soon as the connection is accepted. */
#define FRAISE_FAULT_AT_ACCEPT '\001'

typedef struct {
  FraiseFaultAction action;
  guint connection; /* which accepted connection, from 0 */
  char type;        /* the server message type that triggers it, or AT_ACCEPT */
  guint count;      /* fires on the message of that type after `count` of them */
  gsize partial;    /* bytes of the triggering message forwarded first */
  guint ms;
} FraiseFaultRule;

typedef struct _FraiseFaultProxy FraiseFaultProxy;

/* Listens on 127.0.0.1 (a free port) and forwards to @upstream_port there. */
FraiseFaultProxy *fraise_fault_proxy_new (guint16 upstream_port, const FraiseFaultRule *rule);
guint16 fraise_fault_proxy_get_port (FraiseFaultProxy *proxy);
/* Connections accepted so far. */
guint fraise_fault_proxy_get_accepted (FraiseFaultProxy *proxy);
/* When the rule fired (g_get_monotonic_time ()), or 0 if it has not. */
gint64 fraise_fault_proxy_get_fired_at (FraiseFaultProxy *proxy);
/* Server messages of the rule's type forwarded whole on its connection. */
guint fraise_fault_proxy_get_forwarded (FraiseFaultProxy *proxy);
/* A conninfo through @proxy as the test server's SCRAM role (the harness's
 * FRAISE_TEST_SCRAM_PASSWORD), without TLS, with @options (keyword=value
 * pairs) added. */
char *fraise_fault_proxy_dup_conninfo (FraiseFaultProxy *proxy, const char *options);
/* Stops every thread and closes every socket. */
void fraise_fault_proxy_free (FraiseFaultProxy *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FraiseFaultProxy, fraise_fault_proxy_free)

G_END_DECLS
