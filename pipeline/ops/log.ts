export type LogFormat = "text" | "json";

/** Progress and events for operators: readable lines (and a progress bar on a terminal), or JSON lines for schedulers. */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  progress(done: number, total: number): void;
}

function text(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

export function createLogger(format: LogFormat, stream: NodeJS.WriteStream = process.stderr): Logger {
  const tty = format === "text" && stream.isTTY === true;
  let lastBar = -1;
  const line = (level: string, event: string, fields: Record<string, unknown> = {}) => {
    if (format === "json") stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })}\n`);
    else {
      if (tty && lastBar >= 0) stream.write("\r\x1b[K");
      stream.write(`${level === "warn" ? "warning: " : ""}${event}${Object.keys(fields).length ? ` ${text(fields)}` : ""}\n`);
      lastBar = -1;
    }
  };
  return {
    info: (e, f) => line("info", e, f),
    warn: (e, f) => line("warn", e, f),
    progress(done, total) {
      if (format === "json") {
        if (done === total || done % 1000 === 0) line("info", "progress", { done, total });
        return;
      }
      if (!tty || total < 50) return;
      const pct = Math.floor((100 * done) / total);
      if (pct === lastBar && done !== total) return;
      lastBar = pct;
      const width = 30;
      const filled = Math.round((width * done) / total);
      stream.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${pct}% ${done}/${total} articles`);
      if (done === total) {
        stream.write("\n");
        lastBar = -1;
      }
    },
  };
}

/** Memory figures for stage log lines: this process's resident set (worker threads included) and the main thread's heap. */
export function memoryMb(): { rss_mb: number; heap_mb: number } {
  const m = process.memoryUsage();
  return { rss_mb: Math.round(m.rss / 2 ** 20), heap_mb: Math.round(m.heapUsed / 2 ** 20) };
}

/** Times consecutive stages into `stages` (seconds), logging each as it ends with the memory figures. */
export function stageClock(stages: Record<string, number>, log: Logger): { lap(name: string): void; restart(): void } {
  let t = performance.now();
  return {
    lap(name) {
      stages[name] = Number(((performance.now() - t) / 1000).toFixed(3));
      t = performance.now();
      log.info("stage done", { stage: name, seconds: stages[name], ...memoryMb() });
    },
    restart() {
      t = performance.now();
    },
  };
}
