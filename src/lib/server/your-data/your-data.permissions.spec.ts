import { describe, expect, it } from 'vitest';
import type { Role, SessionUser } from '../auth/auth.types';
import { canDeleteAccount, canDownloadPersonalData } from './your-data.permissions';

function person(id: string, role: Role = 'member'): SessionUser {
	return { id, name: id, email: `${id}@example.test`, emailVerified: true, role };
}

for (const [name, can] of Object.entries({ canDownloadPersonalData, canDeleteAccount })) {
	describe(name, () => {
		it('allows the person themselves, whatever their role', () => {
			for (const role of ['member', 'curator', 'administrator'] as const) {
				expect(can(person('sam', role), 'sam')).toBe(true);
			}
		});
		it('refuses another member and a curator', () => {
			expect(can(person('alex'), 'sam')).toBe(false);
			expect(can(person('cat', 'curator'), 'sam')).toBe(false);
		});
		it('refuses an administrator acting on someone else', () => {
			expect(can(person('ada', 'administrator'), 'sam')).toBe(false);
		});
		it('refuses visitors and the command line', () => {
			expect(can(null, 'sam')).toBe(false);
			expect(can(undefined, 'sam')).toBe(false);
			expect(can({ system: true }, 'sam')).toBe(false);
		});
	});
}
