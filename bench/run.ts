export async function runBenchmarks(args: string[]): Promise<void> {
  console.log('benchmarks: not yet', args);
}
