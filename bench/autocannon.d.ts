// The parts of autocannon 9 the benchmark uses (the package ships no types).
declare module 'autocannon' {
	interface Options {
		url: string;
		connections?: number;
		duration?: number;
		pipelining?: number;
		timeout?: number;
		headers?: Record<string, string>;
	}
	interface Histogram {
		average: number;
		mean: number;
		stddev: number;
		min: number;
		max: number;
		p50: number;
		p90: number;
		p99: number;
	}
	interface Result {
		requests: Histogram;
		latency: Histogram;
		throughput: Histogram;
		errors: number;
		timeouts: number;
		non2xx: number;
		'2xx': number;
		duration: number;
	}
	function autocannon(options: Options): Promise<Result>;
	export default autocannon;
}
