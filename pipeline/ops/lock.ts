import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import { createConnection, createServer, type Server } from "node:net";
import { basename, dirname, join } from "node:path";

export type LockResult = { ok: true; release: () => Promise<void> } | { ok: false; holder: number | null };

/** Linux's sun_path size: a name that fills it is bound whole by every Node version, where a shorter one is NUL-padded by some and not others. */
const SUN_PATH = 108;

/**
 * The abstract unix-socket name that stands for the lock at `path` (a folder's `<out>.lock`): a hash of the
 * path with its folder's symlinks resolved, so that two spellings of one output share one lock.
 */
export async function lockAddress(path: string): Promise<string> {
  const key = join(await realpath(dirname(path)), basename(path));
  return `\0afghan-trade-lock:${createHash("sha256").update(key).digest("hex")}`.padEnd(SUN_PATH, "-");
}

/** Binds the address, or null if another process has it bound; the server answers each connection with this pid. */
function bind(address: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.end(`${process.pid}\n`));
    server.once("error", (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" ? resolve(null) : reject(err)));
    server.listen({ path: address, exclusive: true }, () => {
      // The lock must not keep a finished run alive.
      server.unref();
      resolve(server);
    });
  });
}

/** The holder's pid as its server tells it, or null if it does not answer in time (busy, or just gone). */
function askHolder(address: string, timeoutMs = 1000): Promise<number | null> {
  return new Promise((resolve) => {
    let text = "";
    const socket = createConnection({ path: address });
    const done = (pid: number | null) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.on("data", (d) => (text += String(d)));
    socket.on("end", () => done(/^\d+\n$/.test(text) ? Number(text) : null));
    socket.on("error", () => done(null));
  });
}

/**
 * One run at a time: the lock is an abstract unix socket bound by the holder (Linux). Binding is atomic, and
 * the kernel unbinds it the moment the holder's process ends however it ends (kill -9 and zombies included),
 * so there is no stale lock to detect and no pid to trust. The namespace is the network namespace's, not the
 * file system's: runs sharing an output must share a network namespace (README). With `waitMs`, retries
 * every `pollMs` until free or the time is up.
 */
export async function acquireLock(path: string, waitMs = 0, pollMs = 200): Promise<LockResult> {
  const address = await lockAddress(path);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const server = await bind(address);
    if (server) return { ok: true, release: () => new Promise<void>((r) => server.close(() => r())) };
    if (Date.now() >= deadline) return { ok: false, holder: await askHolder(address) };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
