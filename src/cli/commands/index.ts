import type { Command } from '../command';
import { backup } from './backup';
import { mailTest } from './mail-test';
import { migrate } from './migrate';

/** Every CLI command, in the order `help` lists them. Add a new command with one line here. */
export const commands: readonly Command[] = [migrate, backup, mailTest];
