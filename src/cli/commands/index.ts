import type { Command } from '../command';
import { backup } from './backup';
import { demoSeed } from './demo-seed';
import { mailTest } from './mail-test';
import { migrate } from './migrate';
import { restore } from './restore';
import { searchReindex } from './search-reindex';
import { userCreate } from './user-create';
import { userRole } from './user-role';

/** Every CLI command, in the order `help` lists them. Add a new command with one line here. */
export const commands: readonly Command[] = [
	migrate,
	backup,
	restore,
	mailTest,
	userCreate,
	userRole,
	demoSeed,
	searchReindex
];
