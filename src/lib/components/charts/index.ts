// Charts drawn as SVG on the server: each reads without colour and without JavaScript, and is
// meant to sit beside a table of the same figures.
export { default as BarChart } from './BarChart.svelte';
export { default as PairedBarChart } from './PairedBarChart.svelte';
export { default as LineChart } from './LineChart.svelte';
export type { ChartValue } from './chart';
