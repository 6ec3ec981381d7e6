import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImports } from './testing/imports';

/**
 * Which parts of src/lib/server may use which. Each folder (or top-level file) belongs to one
 * layer; a layer may import only the layers named in `mayUse`. docs/architecture.md's Layers
 * table says the same in words: keep the two in step.
 */
const LAYERS = {
	/** The platform every feature stands on. Knows no feature and no accounts. */
	shared: {
		parts: [
			'app',
			'audit',
			'metrics',
			'cache',
			'config',
			'csv',
			'db',
			'forms',
			'http',
			'ids',
			'logger',
			'mail',
			'markdown',
			'periodic',
			'rate-limit',
			'refusals',
			'search',
			'settings',
			'slugs',
			'uploads'
		],
		mayUse: ['shared']
	},
	/** People, sign-in, sessions and roles. Every feature needs them; they need no feature. */
	accounts: { parts: ['auth'], mayUse: ['shared', 'accounts'] },
	/** What people come for. Features call each other's services (never repositories). */
	features: {
		parts: [
			'admin',
			'assessments',
			'champions',
			'comments',
			'decisions',
			'demo',
			'events',
			'enquiries',
			'ideas',
			'library',
			'moderation',
			'my-colab',
			'notifications',
			'organisations',
			'pilots',
			'posts',
			'profiles',
			'site-search',
			'sitemap',
			'statements',
			'updates',
			'videos',
			'your-data'
		],
		mayUse: ['shared', 'accounts', 'features']
	},
	/**
	 * Helpers for specs: fresh databases and people. Besides specs, only a part's own spec
	 * helpers (`<part>.testing.ts`) may use them; see `mayImport`.
	 */
	testing: { parts: ['testing'], mayUse: ['shared', 'accounts', 'testing'] }
} as const;

type Layer = keyof typeof LAYERS;

/**
 * Imports the table allows although they cross a layer the wrong way, each with its reason.
 * A spec below fails when one is no longer needed, so the list cannot go stale.
 */
const EXCEPTIONS: { from: string; to: RegExp; why: string }[] = [
	{
		from: 'db/schema.ts',
		to: /^[a-z-]+\/[a-z-]+\.tables\.ts$/,
		why: "Kysely's DB type is every feature's tables put together; type-only, no code runs."
	}
];

const root = import.meta.dirname;

function sourceFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		// Specs may reach across layers to test how the parts work together.
		return /\.ts$/.test(entry.name) && !/\.(spec|d)\.ts$/.test(entry.name) ? [path] : [];
	});
}

/** The folder (or top-level file, without .ts) a path under src/lib/server belongs to. */
function partOf(file: string): string {
	const [first = '', ...rest] = relative(root, file).split(sep);
	return rest.length ? first : first.replace(/\.ts$/, '');
}

function layerOf(part: string): Layer | undefined {
	return (Object.keys(LAYERS) as Layer[]).find((layer) =>
		(LAYERS[layer].parts as readonly string[]).includes(part)
	);
}

/** An import's file under src/lib/server, or undefined for packages and the rest of src. */
function resolveImport(from: string, name: string): string | undefined {
	let target: string;
	if (name.startsWith('$lib/server/')) target = join(root, name.slice('$lib/server/'.length));
	else if (name.startsWith('.')) target = resolve(dirname(from), name);
	else return undefined;
	const inside = relative(root, target);
	if (inside.startsWith('..')) return undefined;
	return /\.(ts|js)$/.test(target) ? target : `${target}.ts`;
}

const files = sourceFiles(root);
const crossings = files.flatMap((file) =>
	readImports(file).flatMap((name) => {
		const target = resolveImport(file, name);
		return target ? [{ from: relative(root, file), to: relative(root, target) }] : [];
	})
);

function mayImport(file: string, from: Layer, to: Layer): boolean {
	if (to === 'testing') return from === 'testing' || file.endsWith('.testing.ts');
	return (LAYERS[from].mayUse as readonly string[]).includes(to);
}

function isException(crossing: { from: string; to: string }): boolean {
	return EXCEPTIONS.some((e) => e.from === crossing.from && e.to.test(crossing.to));
}

describe('layers of src/lib/server', () => {
	it('reads the imports of every file', () => {
		expect(files.length).toBeGreaterThan(50);
		expect(crossings).toContainEqual({ from: 'db/migrate.ts', to: 'db/migrations/index.ts' });
	});

	it('places every folder and top-level file in a layer', () => {
		const unplaced = [...new Set(files.map(partOf))].filter((part) => !layerOf(part));
		expect(unplaced, 'add these to LAYERS here and to docs/architecture.md').toEqual([]);
	});

	it('imports only in the directions the table allows', () => {
		const wrongWay = crossings
			.filter((c) => {
				const from = layerOf(partOf(join(root, c.from)));
				const to = layerOf(partOf(join(root, c.to)));
				return from && to && !mayImport(c.from, from, to);
			})
			.filter((c) => !isException(c))
			.map((c) => `${c.from} imports ${c.to}`);
		expect(wrongWay).toEqual([]);
	});

	it('lets db/schema.ts import the tables as types only', () => {
		const text = readFileSync(join(root, 'db/schema.ts'), 'utf8');
		const tableImports = text.match(/^import .* from '[^']+\.tables';$/gm) ?? [];
		expect(tableImports.length).toBeGreaterThan(5);
		expect(tableImports.filter((line) => !line.startsWith('import type {'))).toEqual([]);
	});

	it.each(EXCEPTIONS)('still needs the exception for $from', (exception) => {
		expect(crossings.some((c) => c.from === exception.from && exception.to.test(c.to))).toBe(true);
	});
});
