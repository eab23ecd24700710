export function CheckboxField(props: { name: string; label: string; defaultChecked?: boolean; disabled?: boolean }) {
  const id = `field-${props.name}`;
  return (
    <div className="flex items-center gap-2">
      {/* an unchecked box sends nothing: the hidden field makes "off" explicit */}
      <input type="hidden" name={props.name} value="off" />
      <input id={id} type="checkbox" name={props.name} value="on" defaultChecked={props.defaultChecked} disabled={props.disabled} className="h-4 w-4 rounded border-slate-300" />
      <label htmlFor={id} className="text-sm text-slate-800">
        {props.label}
      </label>
    </div>
  );
}
