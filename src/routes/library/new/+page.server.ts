import { caseStudyActions, caseStudyEditorData } from '$lib/server/library/case-studies.http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => caseStudyEditorData(event);

export const actions: Actions = caseStudyActions(() => undefined);
