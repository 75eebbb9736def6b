/**
 * Calls `onExit` once when the process that started this one is gone (this one was re-parented).
 * A supervisor that dies without passing its signal on (a shell killed by SIGTERM, a crashed
 * wrapper) must not leave the platform serving with nobody to stop it. Checked each second
 * on a timer that does not keep the process alive.
 */
export function whenParentExits(onExit: () => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onExit();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
