import { PLATFORM_PERSON_KEYS, type PersonalDataDeclaration } from '@tributary/platform/privacy';

/**
 * Where the gateway keeps people. A user's credentials (tokens, API keys, access keys, rate
 * counters keyed by them) are deleted on erasure; the user row stays (other records name its
 * id) with its personal fields replaced and the account disabled; the audit log keeps every
 * row, with the user pseudonymised and the address and agent cleared.
 */
export const personalData: PersonalDataDeclaration = {
  service: 'gateway',
  tables: [
    {
      table: 'jwt_tokens',
      owner: {
        columns: ['user_id'],
        erase: 'delete',
        fields: [
          { name: 'user_id', erase: 'pseudonymise', mask: 'shape' },
          { name: 'client_ip', erase: 'null', mask: 'ip' },
          { name: 'user_agent', erase: 'null', mask: 'user_agent' },
        ],
      },
      actors: [{ name: 'revoked_by' }],
    },
    {
      table: 'api_keys',
      owner: { columns: ['user_id'], erase: 'delete', fields: [{ name: 'user_id', erase: 'pseudonymise', mask: 'shape' }] },
      actors: [{ name: 'created_by' }, { name: 'updated_by' }],
    },
    {
      table: 'access_keys',
      owner: { columns: ['user_id'], erase: 'delete', fields: [{ name: 'user_id', erase: 'pseudonymise', mask: 'shape' }] },
      actors: [{ name: 'created_by' }],
    },
    {
      table: 'rate_limit_tracking',
      owner: {
        columns: ['identifier_value'],
        erase: 'delete',
        fields: [{ name: 'identifier_value', erase: 'pseudonymise', mask: 'shape' }],
      },
    },
    {
      table: 'api_audit_logs',
      actors: [{ name: 'user_id' }],
      incidental: [
        { name: 'client_ip', mask: 'ip', erased: '0.0.0.0' },
        { name: 'user_agent', mask: 'user_agent', erased: null },
        { name: 'referer', mask: 'shape', erased: null },
      ],
    },
    { table: 'service_routes', actors: [{ name: 'created_by' }, { name: 'updated_by' }] },
    {
      table: 'api_users',
      owner: {
        // The e-mail is encrypted at rest: the person is found by id or user name, which the
        // gateway resolves (through the blind index) before erasing.
        columns: ['user_id', 'username'],
        erase: 'pseudonymise',
        fields: [
          { name: 'user_id', erase: 'pseudonymise', mask: 'shape' },
          { name: 'username', erase: 'pseudonymise', mask: 'shape' },
          { name: 'email', erase: 'pseudonymise', mask: 'email' },
          // The keyed index of the old address: a masked copy recomputes it at start-up.
          { name: 'email_bidx', erase: 'null', mask: 'null' },
          { name: 'full_name', erase: 'pseudonymise', mask: 'name' },
          { name: 'department', erase: 'null', mask: 'shape' },
        ],
      },
      actors: [{ name: 'created_by' }, { name: 'updated_by' }],
    },
    // Findings of an import from the original gateway keep the original user or key row.
    { table: 'import_log', mentions: [{ name: 'detail', keys: [...PLATFORM_PERSON_KEYS, 'email', 'full_name'] }] },
  ],
};
