/**
 * Whether keyboard focus has fallen to the page itself: the focused control was removed (or
 * never was). Moving focus is only right then, or to an invalid field; never away from a
 * control the person is still on.
 */
export function focusIsLost(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

/** Whether `element` can take focus back: still on the page and not disabled. */
export function canTakeFocus(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element.isConnected && !element.matches(":disabled");
}
