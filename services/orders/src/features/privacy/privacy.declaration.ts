import { platformPersonalTables, type PersonalDataDeclaration } from '@tributary/platform/privacy';

/**
 * Where orders keeps people: the MTP user → group map (a person's own record, deleted on
 * erasure) and the user named as the actor of requests, shipment events and outbox events
 * (the business record stays, the person becomes a pseudonym).
 */
export const personalData: PersonalDataDeclaration = {
  service: 'orders',
  tables: [
    { table: 'order_shipment_event', actors: [{ name: 'actor' }] },
    { table: 'order_request', actors: [{ name: 'created_by' }] },
    {
      table: 'admin.user',
      owner: {
        columns: ['sub', 'username'],
        erase: 'delete',
        fields: [
          { name: 'sub', erase: 'pseudonymise', mask: 'uuid' },
          { name: 'username', erase: 'pseudonymise', mask: 'shape' },
        ],
      },
    },
    ...platformPersonalTables(),
    // A user-changed event's aggregate id is the user's sub.
    { table: 'outbox', actors: [{ name: 'aggregate_id' }] },
  ],
};
