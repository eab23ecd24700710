import type { ShownError } from "./error-text";

/** One line of it; `compact`: cut to the cell's width, whole in the tooltip. */
function Line({ text, compact, className = "", quoted = false, label }: { text: string; compact: boolean; className?: string; quoted?: boolean; label?: string }) {
  return (
    // A provider's words and codes are quoted for support: not for a browser to translate.
    <span className={`block ${compact ? "truncate" : "whitespace-pre-wrap break-words"} ${className}`} title={compact ? text : undefined} translate={quoted ? "no" : undefined}>
      {label && <span className="sr-only">{label} </span>}
      {text}
    </span>
  );
}

/**
 * A row's error (errorText): the translated reason and the retry note, then the provider's own
 * text, smaller and muted. Without a known reason, the provider's text comes first as it is, and
 * the retry note on a line of its own (a sentence in the interface language after foreign words).
 * `compact`: the queue list's narrow cell.
 */
export function ErrorLines({ error, compact = false }: { error: ShownError; compact?: boolean }) {
  if (!error.reason) {
    return (
      <>
        {error.detail && <Line text={error.detail} compact={compact} quoted />}
        {error.retry && <Line text={error.retry} compact={compact} />}
      </>
    );
  }
  return (
    <>
      <Line text={error.retry ? `${error.reason} ${error.retry}` : error.reason} compact={compact} />
      {error.detail && <Line text={error.detail} compact={compact} quoted label={error.detailLabel} className="mt-0.5 font-mono text-xs text-slate-600" />}
    </>
  );
}
