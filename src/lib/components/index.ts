// CoLab's accessible building blocks. Every later form uses these, so each one carries the
// label, hint, error wiring and focus styles that WCAG 2.2 AA asks for.
export { default as TextField } from './TextField.svelte';
export { default as TextArea } from './TextArea.svelte';
export { default as Select } from './Select.svelte';
export { default as Radios } from './Radios.svelte';
export { default as Checkboxes } from './Checkboxes.svelte';
export { default as Checkbox } from './Checkbox.svelte';
export { default as ErrorSummary } from './ErrorSummary.svelte';
export { default as Banner } from './Banner.svelte';
export { default as Button } from './Button.svelte';
export { default as Pagination } from './Pagination.svelte';
export { default as Tag } from './Tag.svelte';
export { default as Card } from './Card.svelte';
export { default as CopyLink } from './CopyLink.svelte';
export { default as MyColabList } from './MyColabList.svelte';
export { default as EventCard } from './EventCard.svelte';
export { default as ContactDetails } from './ContactDetails.svelte';
export { default as FormatName } from './FormatName.svelte';
export { default as FormatIcon } from './FormatIcon.svelte';
export { default as ScrollTable } from './ScrollTable.svelte';
export type { Option } from './field';
export { default as FileField } from './FileField.svelte';
export { default as Picture } from './Picture.svelte';
export { default as Avatar } from './Avatar.svelte';
export { default as PostCard } from './PostCard.svelte';
export { default as ShareLinks } from './ShareLinks.svelte';
