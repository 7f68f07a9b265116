// The account page, with JavaScript: while the person has not chosen a time zone, select
// their browser's and say so; nothing is saved until they press the button. Without
// JavaScript the list works the same, only without the suggestion.
const select = document.querySelector('select[data-browser-zone]');
const hint = document.getElementById('browser-zone-hint');
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const option = select && zone ? [...select.options].find((candidate) => candidate.value === zone) : undefined;
if (select && hint && option && select.value === '' && !select.hasAttribute('aria-invalid')) {
  option.selected = true;
  hint.textContent = `Your browser is set to ${zone.replaceAll('_', ' ')}, so it is selected. Press “Save time zone” to keep it.`;
  hint.hidden = false;
}
