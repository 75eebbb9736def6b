import { platformPersonalTables, type PersonalDataDeclaration } from '@tributary/platform/privacy';

/** A customer's personal fields as erp documents name them. */
const CUSTOMER_KEYS = ['customer_name', 'email_id', 'mobile_no', 'primary_address', 'tax_id'];

/** Keys under which captured documents and event metadata name people or hold their contact data. */
export const SYNC_PERSON_KEYS = [
  'user',
  'actor',
  'owner',
  'modified_by',
  'created_by',
  'username',
  'sub',
  'user_id',
  'customer_name',
  'email_id',
  'mobile_no',
  'primary_address',
  'tax_id',
];

/**
 * The sync service stores other services' events: who caused them (`source_user`, the IP and
 * session they came from), and the documents themselves, whose JSON may name users and carry
 * customers' contact fields. Conflicts name who resolved or was assigned them.
 */
export const personalData: PersonalDataDeclaration = {
  service: 'sync',
  tables: [
    {
      table: 'sync_events',
      actors: [{ name: 'source_user' }],
      incidental: [
        { name: 'source_ip', mask: 'ip', erased: null },
        { name: 'source_session', mask: 'shape', erased: null },
      ],
      mentions: ['event_data', 'previous_data', 'metadata'].map((name) => ({ name, keys: SYNC_PERSON_KEYS })),
      // An event about a customer carries a copy of the customer record.
      documents: ['event_data', 'previous_data'].map((name) => ({ match: 'doc_name', name, keys: CUSTOMER_KEYS })),
    },
    { table: 'sync_status', actors: [{ name: 'created_by' }], mentions: [{ name: 'sync_metadata', keys: SYNC_PERSON_KEYS }] },
    { table: 'sync_configurations', actors: [{ name: 'created_by' }, { name: 'updated_by' }] },
    {
      table: 'sync_conflicts',
      actors: [{ name: 'assigned_to' }, { name: 'resolved_by' }, { name: 'escalated_to' }],
      mentions: ['source_value', 'target_value', 'expected_value', 'resolved_value'].map((name) => ({ name, keys: SYNC_PERSON_KEYS })),
    },
    { table: 'sync_conflict_audit', actors: [{ name: 'actor' }], mentions: [{ name: 'details', keys: SYNC_PERSON_KEYS }] },
    ...platformPersonalTables(),
  ],
};
