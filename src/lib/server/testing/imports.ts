import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import ts from 'typescript';

/**
 * Every module a TypeScript file names: static imports (type-only ones too, since they tie the
 * files together just the same), `export … from`, `import()` and `require()`. Read with the
 * TypeScript compiler's own scanner, so comments and strings that merely look like imports
 * are not counted.
 */
export function readImports(path: string): string[] {
	const text = readFileSync(path, 'utf8');
	return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** Whether a module name is one of Node's built-ins (`node:fs`, `crypto`, …). */
export function isNodeBuiltin(name: string): boolean {
	return name.startsWith('node:') || builtinModules.includes(name.split('/')[0] ?? name);
}
