"""A minimal PostgreSQL protocol-3 client that binds its source address first (libpq cannot):
pgclient.py SRC_IP PORT DBNAME SQL. Prints its own port, then runs SQL and terminates."""
import socket
import struct
import sys

src, port, db, sql = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket()
s.bind((src, 0))
s.connect(("127.0.0.1", port))
print(s.getsockname()[1], flush=True)


def send(kind, body):
    s.sendall(kind + struct.pack("!I", len(body) + 4) + body)


def until_ready():
    buf = b""
    while True:
        while len(buf) < 5:
            chunk = s.recv(4096)
            if not chunk:
                raise SystemExit("server closed")
            buf += chunk
        kind, n = buf[:1], struct.unpack("!I", buf[1:5])[0]
        while len(buf) < 1 + n:
            buf += s.recv(4096)
        if kind == b"E":
            raise SystemExit("error: %r" % buf[5:1 + n])
        buf = buf[1 + n:]
        if kind == b"Z":
            return


params = b"user\0postgres\0database\0" + db.encode() + b"\0\0"
body = struct.pack("!I", 196608) + params
s.sendall(struct.pack("!I", len(body) + 4) + body)
until_ready()
send(b"Q", sql.encode() + b"\0")
until_ready()
send(b"X", b"")
s.close()
