import type { Explanation, ExplainedLine } from '../../api/erp-pricing';
import { dayFirst } from '../../lib/format';

const OUTCOME_WORDS: Record<string, string> = {
  applied: 'Applied',
  skipped: 'Matched, skipped',
  'matched, no effect': 'Matched, nothing off',
  'not matched': 'Not matched',
};

function LineExplanation({ line }: { line: ExplainedLine }) {
  const id = `quote-line-${line.line}`;
  return (
    <section aria-labelledby={id}>
      <h4 id={id}>
        Line {line.line}: {line.qty} × {line.item_code}
      </h4>
      <p data-testid={`quote-line-${line.line}`}>
        Base {line.rate_with_margin} a unit, {line.base_amount} in all; discount {line.discount_amount} ({line.discount_percentage}%); price{' '}
        <strong>{line.final_rate}</strong> a unit, <strong>{line.final_amount}</strong> in all.{' '}
        {line.winner ? `Winner: ${line.winner}.` : 'No rule applies.'}
      </p>
      {line.pricing_rules_applied.length > 0 && (
        <ol aria-label={`Applied stack, line ${line.line}`}>
          {line.pricing_rules_applied.map((applied) => (
            <li key={applied.rule}>
              {applied.rule_code} ({applied.stacking.toLowerCase()}, on the {applied.basis === 'base' ? 'base' : 'running'} price):{' '}
              {applied.detail}, {applied.discount_amount} off, {applied.rate_after} a unit after
            </li>
          ))}
        </ol>
      )}
      <div className="table-wrap">
        <table>
          <caption className="muted">Every active rule, highest precedence first</caption>
          <thead>
            <tr>
              <th scope="col" className="number">
                Priority
              </th>
              <th scope="col">Rule</th>
              <th scope="col">Stacking</th>
              <th scope="col">Outcome</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {line.rules.map((rule) => (
              <tr key={rule.rule} aria-selected={rule.rule_code === line.winner}>
                <td className="number">{rule.priority}</td>
                <td>
                  {rule.rule_code}: {rule.rule_name}
                </td>
                <td>{rule.stacking}</td>
                <td>{OUTCOME_WORDS[rule.outcome] ?? rule.outcome}</td>
                <td>
                  {rule.reason}
                  <details>
                    <summary>Conditions</summary>
                    <ul>
                      {rule.checks.map((check) => (
                        <li key={check.check}>
                          {check.passed ? 'Met' : 'Not met'}: {check.check}, {check.detail}
                        </li>
                      ))}
                    </ul>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function QuoteExplanation({ quote }: { quote: Explanation }) {
  const who = quote.segment
    ? `any customer of segment ${quote.segment}`
    : quote.customer
      ? `${quote.customer}${quote.known_customer ? '' : ' (not a known customer)'}`
      : 'any customer';
  return (
    <div aria-live="polite">
      <p role="status" data-testid="quote-total">
        Quote for {who} on {dayFirst(quote.plant_time.date)} at {quote.plant_time.time.slice(0, 5)} ({quote.plant_time.weekday}, Colombo):
        total <strong>{quote.totalAfterDiscount}</strong> after {quote.totalDiscount} off {quote.totalBeforeDiscount}.
        {quote.customer_segments.length > 0 ? ` Segments in force: ${quote.customer_segments.join(', ')}.` : ''}
      </p>
      {quote.lines.map((line) => (
        <LineExplanation key={line.line} line={line} />
      ))}
    </div>
  );
}
