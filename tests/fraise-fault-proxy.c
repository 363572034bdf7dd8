/* fraise-fault-proxy.c: a TCP proxy on 127.0.0.1 that injects network faults
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Plain POSIX sockets and one thread per connection: every socket is
 * non-blocking and every wait polls the stop pipe as well, so freeing the
 * proxy ends a frozen, stalled or deaf connection at once.
 */

#include "fraise-fault-proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct _FraiseFaultProxy {
  FraiseFaultRule rule;
  guint16 upstream_port;
  guint16 port;
  int listen_fd;
  int stop_pipe[2];
  GThread *acceptor;
  GMutex lock;
  GPtrArray *threads;
  guint accepted;
  gint64 fired_at;
  guint forwarded;
};

typedef enum {
  MODE_PASS,
  MODE_BYTEWISE,
  MODE_DELAY,
  MODE_DRIP,
  MODE_FROZEN,
} Mode;

typedef struct {
  FraiseFaultProxy *proxy;
  const FraiseFaultRule *rule; /* NULL when the connection passes */
  int client;
  int server;
  Mode mode;
  /* The framing of the server's messages. */
  guint8 header[5];
  guint header_have;
  gsize body_left;
  guint seen;         /* messages of the rule's type seen */
  gboolean firing;    /* the triggering message started */
  gsize partial_left; /* its bytes still to forward before the action */
  gboolean done;      /* the rule fired */
} Conn;

static void
set_nonblocking (int fd)
{
  int flags = fcntl (fd, F_GETFL);

  g_assert_cmpint (fcntl (fd, F_SETFL, flags | O_NONBLOCK), ==, 0);
}

static void
set_nodelay (int fd)
{
  int one = 1;

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static gboolean
stopped (FraiseFaultProxy *proxy)
{
  struct pollfd p = { .fd = proxy->stop_pipe[0], .events = POLLIN };

  return poll (&p, 1, 0) > 0;
}

/* Waits @ms; FALSE when the proxy is being stopped. */
static gboolean
sleep_ms (FraiseFaultProxy *proxy, guint ms)
{
  struct pollfd p = { .fd = proxy->stop_pipe[0], .events = POLLIN };
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  gint64 now;

  while ((now = g_get_monotonic_time ()) < end)
    {
      int r = poll (&p, 1, (int) ((end - now + 999) / 1000));

      if (r > 0)
        return FALSE;
    }
  return TRUE;
}

/* Writes all of @data; FALSE when the peer is gone or the proxy stops. */
static gboolean
write_all (FraiseFaultProxy *proxy, int fd, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);

      if (n > 0)
        {
          data += n;
          len -= (gsize) n;
          continue;
        }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        {
          struct pollfd p[2] = {
            { .fd = fd, .events = POLLOUT },
            { .fd = proxy->stop_pipe[0], .events = POLLIN },
          };

          poll (p, 2, -1);
          if (p[1].revents != 0)
            return FALSE;
          continue;
        }
      return FALSE;
    }
  return TRUE;
}

/* Sends bytes to the client the way the current mode says. */
static gboolean
to_client (Conn *c, const guint8 *data, gsize len)
{
  gsize i;

  switch (c->mode)
    {
    case MODE_PASS:
      return write_all (c->proxy, c->client, data, len);
    case MODE_DELAY:
      return len == 0 ||
             (sleep_ms (c->proxy, c->rule->ms) && write_all (c->proxy, c->client, data, len));
    case MODE_BYTEWISE:
    case MODE_DRIP:
      for (i = 0; i < len; i++)
        {
          if (c->mode == MODE_DRIP && !sleep_ms (c->proxy, c->rule->ms))
            return FALSE;
          if (!write_all (c->proxy, c->client, data + i, 1))
            return FALSE;
        }
      return TRUE;
    case MODE_FROZEN:
    default:
      return TRUE; /* dropped */
    }
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

/* Does what the rule says. FALSE when the connection is over. */
static gboolean
fire (Conn *c)
{
  FraiseFaultProxy *proxy = c->proxy;
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  c->done = TRUE;
  g_mutex_lock (&proxy->lock);
  proxy->fired_at = g_get_monotonic_time ();
  g_mutex_unlock (&proxy->lock);

  switch (c->rule->action)
    {
    case FRAISE_FAULT_CUT:
      shutdown (c->client, SHUT_RDWR);
      close_fd (&c->client);
      close_fd (&c->server);
      return FALSE;
    case FRAISE_FAULT_RESET:
      setsockopt (c->client, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      close_fd (&c->client);
      close_fd (&c->server);
      return FALSE;
    case FRAISE_FAULT_FREEZE:
    case FRAISE_FAULT_DEAF:
      c->mode = MODE_FROZEN;
      return TRUE;
    case FRAISE_FAULT_STALL:
      return sleep_ms (proxy, c->rule->ms);
    case FRAISE_FAULT_DRIP:
      c->mode = MODE_DRIP;
      return TRUE;
    case FRAISE_FAULT_BYTEWISE:
      c->mode = MODE_BYTEWISE;
      return TRUE;
    case FRAISE_FAULT_DELAY:
      c->mode = MODE_DELAY;
      return TRUE;
    case FRAISE_FAULT_PASS:
    default:
      return TRUE;
    }
}

/* Forwards what the server sent, message by message, firing the rule at
 * its message. FALSE when the connection is over. */
static gboolean
from_server (Conn *c, const guint8 *data, gsize len)
{
  gsize run = 0; /* bytes of data[0..i) not forwarded yet */
  gsize i = 0;

  while (i < len)
    {
      if (c->firing)
        {
          gsize n = MIN (c->partial_left, len - i);

          /* The bytes before the trigger, then its first `partial` bytes. */
          if (!to_client (c, data + i - run, run + n))
            return FALSE;
          i += n;
          run = 0;
          c->partial_left -= n;
          if (c->partial_left > 0)
            return TRUE;
          c->firing = FALSE;
          if (!fire (c))
            return FALSE;
          /* The rest of this read goes on through the new mode. */
        }
      if (c->header_have == 0 && c->rule != NULL && !c->done && data[i] == c->rule->type)
        {
          if (c->seen == c->rule->count)
            {
              c->firing = TRUE;
              c->partial_left = c->rule->partial;
              continue;
            }
          c->seen++;
          g_mutex_lock (&c->proxy->lock);
          c->proxy->forwarded = c->seen;
          g_mutex_unlock (&c->proxy->lock);
        }
      if (c->header_have < 5)
        {
          c->header[c->header_have++] = data[i];
          if (c->header_have == 5)
            {
              guint32 length = ((guint32) c->header[1] << 24) | ((guint32) c->header[2] << 16) |
                               ((guint32) c->header[3] << 8) | c->header[4];

              c->body_left = length >= 4 ? length - 4 : 0;
              if (c->body_left == 0)
                c->header_have = 0;
            }
          i++;
          run++;
          continue;
        }
      {
        gsize n = MIN (c->body_left, len - i);

        i += n;
        run += n;
        c->body_left -= n;
        if (c->body_left == 0)
          c->header_have = 0;
      }
    }
  return to_client (c, data + len - run, run);
}

static int
connect_upstream (guint16 port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      close (fd);
      return -1;
    }
  set_nodelay (fd);
  set_nonblocking (fd);
  return fd;
}

static gpointer
conn_thread (gpointer user_data)
{
  Conn *c = user_data;
  FraiseFaultProxy *proxy = c->proxy;
  guint8 buf[65536];

  if (c->rule != NULL && c->rule->type == FRAISE_FAULT_AT_ACCEPT && !fire (c))
    goto out;
  if (c->mode != MODE_FROZEN || c->rule->action != FRAISE_FAULT_DEAF)
    c->server = connect_upstream (proxy->upstream_port);
  if (c->server < 0 && c->mode != MODE_FROZEN)
    goto out;

  while (!stopped (proxy))
    {
      struct pollfd p[3] = {
        { .fd = proxy->stop_pipe[0], .events = POLLIN },
        { .fd = c->mode == MODE_FROZEN ? -1 : c->client, .events = POLLIN },
        { .fd = c->mode == MODE_FROZEN ? -1 : c->server, .events = POLLIN },
      };
      gsize chunk = c->mode == MODE_BYTEWISE ? 1 : sizeof buf;
      ssize_t n;

      if (poll (p, 3, -1) < 0 && errno != EINTR)
        break;
      if (p[0].revents != 0)
        break;
      if (p[1].revents != 0)
        {
          n = recv (c->client, buf, chunk, 0);
          if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            break;
          if (n > 0 && c->mode != MODE_FROZEN && !write_all (proxy, c->server, buf, (gsize) n))
            break;
        }
      if (p[2].revents != 0 && c->mode != MODE_FROZEN)
        {
          n = recv (c->server, buf, chunk, 0);
          if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            break;
          if (n > 0 && !from_server (c, buf, (gsize) n))
            break;
        }
    }
out:
  close_fd (&c->client);
  close_fd (&c->server);
  g_free (c);
  return NULL;
}

static gpointer
accept_thread (gpointer user_data)
{
  FraiseFaultProxy *proxy = user_data;

  for (;;)
    {
      struct pollfd p[2] = {
        { .fd = proxy->stop_pipe[0], .events = POLLIN },
        { .fd = proxy->listen_fd, .events = POLLIN },
      };
      Conn *c;
      int fd;
      guint index;

      if (poll (p, 2, -1) < 0 && errno != EINTR)
        break;
      if (p[0].revents != 0)
        break;
      if (p[1].revents == 0)
        continue;
      fd = accept (proxy->listen_fd, NULL, NULL);
      if (fd < 0)
        continue;
      set_nodelay (fd);
      set_nonblocking (fd);
      c = g_new0 (Conn, 1);
      c->proxy = proxy;
      c->client = fd;
      c->server = -1;
      g_mutex_lock (&proxy->lock);
      index = proxy->accepted++;
      g_mutex_unlock (&proxy->lock);
      if (proxy->rule.action != FRAISE_FAULT_PASS && index == proxy->rule.connection)
        c->rule = &proxy->rule;
      g_mutex_lock (&proxy->lock);
      g_ptr_array_add (proxy->threads, g_thread_new ("fault-proxy-conn", conn_thread, c));
      g_mutex_unlock (&proxy->lock);
    }
  return NULL;
}

FraiseFaultProxy *
fraise_fault_proxy_new (guint16 upstream_port, const FraiseFaultRule *rule)
{
  FraiseFaultProxy *proxy = g_new0 (FraiseFaultProxy, 1);
  struct sockaddr_in addr = { 0 };
  socklen_t addr_len = sizeof addr;

  proxy->rule = *rule;
  proxy->upstream_port = upstream_port;
  g_mutex_init (&proxy->lock);
  proxy->threads = g_ptr_array_new ();
  g_assert_cmpint (pipe (proxy->stop_pipe), ==, 0);

  proxy->listen_fd = socket (AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint (proxy->listen_fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (proxy->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (proxy->listen_fd, 64), ==, 0);
  g_assert_cmpint (getsockname (proxy->listen_fd, (struct sockaddr *) &addr, &addr_len), ==, 0);
  proxy->port = ntohs (addr.sin_port);
  proxy->acceptor = g_thread_new ("fault-proxy", accept_thread, proxy);
  return proxy;
}

guint16
fraise_fault_proxy_get_port (FraiseFaultProxy *proxy)
{
  return proxy->port;
}

guint
fraise_fault_proxy_get_accepted (FraiseFaultProxy *proxy)
{
  guint n;

  g_mutex_lock (&proxy->lock);
  n = proxy->accepted;
  g_mutex_unlock (&proxy->lock);
  return n;
}

gint64
fraise_fault_proxy_get_fired_at (FraiseFaultProxy *proxy)
{
  gint64 t;

  g_mutex_lock (&proxy->lock);
  t = proxy->fired_at;
  g_mutex_unlock (&proxy->lock);
  return t;
}

guint
fraise_fault_proxy_get_forwarded (FraiseFaultProxy *proxy)
{
  guint n;

  g_mutex_lock (&proxy->lock);
  n = proxy->forwarded;
  g_mutex_unlock (&proxy->lock);
  return n;
}

char *
fraise_fault_proxy_dup_conninfo (FraiseFaultProxy *proxy, const char *options)
{
  const char *password = g_getenv ("FRAISE_TEST_SCRAM_PASSWORD");
  GString *conninfo = g_string_new (NULL);
  const char *p;

  g_string_printf (conninfo,
                   "host=127.0.0.1 port=%u dbname=fraise_test user=fraise_scram sslmode=disable "
                   "%s password='",
                   proxy->port, options);
  /* A conninfo value in single quotes: a backslash before ' and \. */
  for (p = password != NULL ? password : ""; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (conninfo, '\\');
      g_string_append_c (conninfo, *p);
    }
  g_string_append_c (conninfo, '\'');
  return g_string_free (conninfo, FALSE);
}

void
fraise_fault_proxy_free (FraiseFaultProxy *proxy)
{
  guint i;

  if (proxy == NULL)
    return;
  g_assert_cmpint (write (proxy->stop_pipe[1], "x", 1), ==, 1);
  g_thread_join (proxy->acceptor);
  /* The acceptor is gone: the list of threads is final. */
  for (i = 0; i < proxy->threads->len; i++)
    g_thread_join (g_ptr_array_index (proxy->threads, i));
  g_ptr_array_unref (proxy->threads);
  close (proxy->listen_fd);
  close (proxy->stop_pipe[0]);
  close (proxy->stop_pipe[1]);
  g_mutex_clear (&proxy->lock);
  g_free (proxy);
}
