import { useState } from 'react';
import { operatorMessage, type OperatorMessage } from './operator-errors';

export type Outcome = { ok: true; text: string } | { ok: false; message: OperatorMessage };

/** A refusal is also said aloud: the operator is often at the scale, not looking at the screen. */
export function speak(text: string): void {
  if (typeof speechSynthesis === 'undefined') return;
  speechSynthesis.cancel();
  speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

/** The last action's result, as a big coloured panel with the words in it (not colour alone). */
export function OutcomePanel({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  if (outcome.ok)
    return (
      <p role="status" className="outcome ok">
        {outcome.text}
      </p>
    );
  return (
    <div role="alert" className="outcome refused">
      <p>{outcome.message.sentence}</p>
      {outcome.message.code && <p className="muted">Code {outcome.message.code}</p>}
    </div>
  );
}

/** The last result of a kiosk action: a refusal (a sentence, or a failed call) is also spoken. */
export function useOutcome() {
  const [outcome, setOutcome] = useState<Outcome>();
  const refuse = (message: string | OperatorMessage) => {
    const said = typeof message === 'string' ? { sentence: message } : message;
    speak(said.sentence);
    setOutcome({ ok: false, message: said });
  };
  return {
    outcome,
    succeed: (text: string) => setOutcome({ ok: true, text }),
    refuse,
    fail: (error: unknown) => refuse(operatorMessage(error)),
  };
}
