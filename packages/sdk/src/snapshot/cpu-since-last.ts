/** CPU seconds (user + system) the process used since the previous call. */
export class CpuSinceLast {
  #previous = process.cpuUsage();

  takeSeconds(): number {
    const delta = process.cpuUsage(this.#previous);
    this.#previous = process.cpuUsage();
    return (delta.user + delta.system) / 1e6;
  }
}
