import { useEffect, useRef, type ReactNode } from 'react';

/** The native modal dialog: focus is trapped and Escape closes it without any script of ours. */
export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose?: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(event) => {
        if (!onClose) event.preventDefault();
        else onClose();
      }}
    >
      <h2>{title}</h2>
      {open && children}
    </dialog>
  );
}
