import { open, readFile, unlink } from "node:fs/promises";

export type LockResult = { ok: true; release: () => Promise<void> } | { ok: false; holder: number };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const fh = await open(path, "wx");
    await fh.writeFile(`${process.pid}\n`);
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

/**
 * One run at a time: a lock file holding the holder's pid, created exclusively. A lock whose process
 * is gone (killed, crashed) is stale and taken over. With `waitMs`, polls until free or the time is up.
 */
export async function acquireLock(path: string, waitMs = 0, pollMs = 200): Promise<LockResult> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryCreate(path)) {
      return { ok: true, release: () => unlink(path).catch(() => undefined) };
    }
    const holder = Number((await readFile(path, "utf8").catch(() => "")).trim());
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) return { ok: false, holder };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
