import { loadEventList } from './event-list.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => loadEventList(event, 'upcoming');
