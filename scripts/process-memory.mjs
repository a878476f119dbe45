// A process's resident memory from /proc (Linux): the memory benchmark reads the workerd that
// scripts/serve.mjs starts. The peak (VmHWM) can be reset through clear_refs, so the peak of one
// transfer is read exactly, without sampling.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

/** The pids of the processes whose parent is `parentPid` and whose name is `comm`. */
export function childrenNamed(parentPid, comm) {
  const found = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(")");
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      if (ppid === parentPid && stat.slice(stat.indexOf("(") + 1, close) === comm) {
        found.push(Number(name));
      }
    } catch {
      // exited while the table was read
    }
  }
  return found;
}

/** { rssKiB, peakKiB } of a live process (VmRSS, VmHWM). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    if (!m) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(m[1]);
  };
  return { rssKiB: field("VmRSS"), peakKiB: field("VmHWM") };
}

/** Sets the process's peak (VmHWM) back to its current RSS (Linux >= 4.0, same user). */
export function resetPeak(pid) {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** Whether a process still runs: a zombie (exited, not yet reaped by its parent) does not. */
export function isRunning(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
