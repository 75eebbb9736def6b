/**
 * Back and forward through a list's pages, whether the table holds them or the server does (and
 * then perhaps without saying how many there are). A missing step is shown disabled.
 */
export function Pager({
  label,
  position,
  words = ['Previous', 'Next'],
  onBack,
  onForward,
  busy,
}: {
  label: string;
  /** Where the list is, e.g. "Page 2 of 5"; left out where the server's paging gives no number. */
  position?: string;
  /** The two buttons in the list's own terms, e.g. newer and older for a newest-first log. */
  words?: readonly [string, string];
  onBack?: (() => void) | undefined;
  onForward?: (() => void) | undefined;
  /** Another page is on its way: asking for one more would race it. */
  busy?: boolean | undefined;
}) {
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="secondary" disabled={!onBack || busy} onClick={onBack}>
        {words[0]}
      </button>
      {position && <span>{position}</span>}
      <button type="button" className="secondary" disabled={!onForward || busy} onClick={onForward}>
        {words[1]}
      </button>
    </nav>
  );
}
