-- The queue's "opted out" note is one of the failure reasons now (queue.failure.reasons.optedOut,
-- beside every other reason a row can fail for) instead of queue.notes.optedOut. A site that had
-- reworded it keeps its wording under the new key.
update "translation_overrides" set "key" = 'queue.failure.reasons.optedOut' where "key" = 'queue.notes.optedOut';
