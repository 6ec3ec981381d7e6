import { spawnSync } from 'node:child_process';

/** Builds the app once (only when the source changed) before any worker starts a server. */
export default function globalSetup(): void {
	const result = spawnSync(process.execPath, ['scripts/build-if-needed.js'], { stdio: 'inherit' });
	if (result.status !== 0) throw new Error('The build failed; see the output above.');
}
