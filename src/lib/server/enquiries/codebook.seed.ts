/**
 * The benefit and barrier themes of the network's first enquiry (shared/domain.md), worded as
 * there, for a team that wants to start its codebook from them.
 */
export const SEED_CODEBOOK: readonly { name: string; children: readonly string[] }[] = [
	{
		name: 'Benefits',
		children: [
			'better and more efficient services',
			'services people actually want',
			'a voice for people',
			'equality and trust',
			"active involvement in one's own care",
			'less dependency on services',
			'fewer inappropriate referrals',
			'cost savings and better outcomes',
			'empowerment',
			'meaningful feedback',
			'tailoring to real needs',
			'more choice and control',
			'sharing skills and knowledge',
			'shared power',
			'shared targets',
			'mutual benefit',
			'stronger partnerships',
			'systems tested hard',
			'making a difference'
		]
	},
	{
		name: 'Barriers',
		children: [
			'routines',
			'no permission from leaders',
			'organisational culture',
			'systems and processes',
			'power imbalances',
			'decision-making processes',
			'time',
			'unwillingness to get involved',
			'lack of interest or motivation',
			'lack of skills and awareness',
			'leaving comfort zones',
			'lack of capacity',
			'aversion to risk',
			'poor information sharing',
			'"what is in it for us"',
			'short-term funding',
			'shrinking resources',
			'mandatory requirements',
			'burden on unpaid people',
			'systems built for aggregate need rather than the individual',
			'forums not fit for purpose'
		]
	}
];
