import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases';
import { isNodeBuiltin, readImports } from '../../testing/imports';
import { FRAMEWORK_V1_DIMENSIONS } from './2026-11-26-07-assessments';

const folder = import.meta.dirname;
const migrationFiles = readdirSync(folder).filter((name) =>
	/^\d{4}-\d{2}-\d{2}-\d{2}-.+\.ts$/.test(name)
);

// A migration runs on databases made years after it was written, so it must write the same
// thing it wrote on the day it landed: it may lean on Kysely, Node and its own frozen helpers,
// never on app code that keeps changing.
function disallowedImports(file: string, allowed: (name: string) => boolean): string[] {
	return readImports(join(folder, file)).filter((name) => !allowed(name));
}

describe('migrations are frozen', () => {
	it('finds the migration files', () => {
		expect(migrationFiles).toContain('2026-11-26-01-foundation.ts');
	});

	it.each(migrationFiles)('%s imports only kysely, Node and ./helpers', (file) => {
		const allowed = (name: string) =>
			name === 'kysely' || isNodeBuiltin(name) || name === './helpers';
		expect(disallowedImports(file, allowed)).toEqual([]);
	});

	it('helpers.ts imports only kysely and Node', () => {
		const allowed = (name: string) => name === 'kysely' || isNodeBuiltin(name);
		expect(disallowedImports('helpers.ts', allowed)).toEqual([]);
	});

	it('index.ts lists every migration file and imports nothing else', () => {
		const imports = readImports(join(folder, 'index.ts')).filter((name) => name !== 'kysely');
		expect(imports.sort()).toEqual(
			migrationFiles.map((file) => `./${file.replace(/\.ts$/, '')}`).sort()
		);
	});

	it('keeps version 1 of the framework as it landed', () => {
		// Changing this data would give new installs a different version 1 from older ones.
		// Change the framework with a new version instead (a curator's edit or a new migration).
		const digest = createHash('sha256')
			.update(JSON.stringify(FRAMEWORK_V1_DIMENSIONS))
			.digest('hex');
		expect(digest).toBe('63a97ec9b6e27d77cbb459ae51c1ee9f04697521fd2576bf5a62f1188e1fe16f');
	});
});

describeEachDatabase('a fresh database', (ctx) => {
	it('starts with version 1 of the framework exactly as migration 07 carries it', async () => {
		const version = await ctx.db
			.selectFrom('framework_version')
			.select(['id', 'name', 'note', 'created_by'])
			.where('number', '=', 1)
			.executeTakeFirstOrThrow();
		expect(version).toMatchObject({
			name: 'Co-production check',
			note: 'The first version.',
			created_by: null
		});
		const dimensions = await ctx.db
			.selectFrom('framework_dimension')
			.select(['id', 'key', 'kind', 'position', 'title', 'description', 'guidance'])
			.where('version_id', '=', version.id)
			.orderBy('position')
			.execute();
		const statements = await ctx.db
			.selectFrom('framework_statement')
			.select(['dimension_id', 'position', 'text'])
			.where(
				'dimension_id',
				'in',
				dimensions.map((d) => d.id)
			)
			.orderBy('dimension_id')
			.orderBy('position')
			.execute();
		const written = dimensions.map(({ id, position, ...dimension }, index) => {
			expect(position).toBe(index + 1);
			const own = statements.filter((s) => s.dimension_id === id);
			expect(own.map((s) => s.position)).toEqual(own.map((_, i) => i + 1));
			return { ...dimension, statements: own.map((s) => s.text) };
		});
		expect(written).toEqual(FRAMEWORK_V1_DIMENSIONS);
	});
});
