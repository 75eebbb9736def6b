import type { ConfigurationInput } from './configurations.schemas.js';

/**
 * Event names are matched by glob, so the flows hold whatever exact names the producing
 * services settle on (`allocation.created`, `shipment_allocation.recorded`, …).
 */
export const DEFAULT_CONFIGURATIONS: ConfigurationInput[] = [
  {
    config_name: 'Processing_Allocations_To_Orders',
    config_description: 'Allocations of bags to shipments keep the orders service’s allocated total per shipment',
    source_system: 'processing',
    target_system: 'orders',
    entity_type: 'Allocation',
    configuration: {
      eventTypes: ['*allocat*'],
      target: { kind: 'service', service: 'orders' },
      conflict: { strategy: 'source_wins', autoResolveVersionMismatch: true },
      priority: 3,
    },
    sync_frequency: 'real_time',
    max_retries: 10,
    retry_delay_seconds: 5,
  },
  {
    config_name: 'Processing_Trader_Status_To_Orders',
    config_description: 'Trader decisions on batches (TRADER_BLOCKED stops shipments in orders)',
    source_system: 'processing',
    target_system: 'orders',
    entity_type: 'Batch',
    configuration: {
      eventTypes: ['*trader*'],
      target: { kind: 'service', service: 'orders' },
      conflict: { strategy: 'source_wins', autoResolveVersionMismatch: true },
      priority: 2,
    },
    sync_frequency: 'real_time',
    max_retries: 10,
    retry_delay_seconds: 5,
  },
  {
    config_name: 'Orders_Shipments_To_Processing',
    config_description: 'Shipment changes and events feed the processing service’s dispatchable-shipment copy',
    source_system: 'orders',
    target_system: 'processing',
    entity_type: 'Shipment',
    configuration: {
      eventTypes: ['*shipment*', '*request*'],
      target: { kind: 'service', service: 'processing' },
      conflict: {
        strategy: 'merge',
        fieldRules: {
          status: {
            rule: 'stage_priority',
            stages: ['cancelled', 'draft', 'pending', 'confirmed', 'processing', 'shipped', 'delivered', 'completed'],
          },
        },
      },
      priority: 3,
    },
    sync_frequency: 'real_time',
    max_retries: 10,
    retry_delay_seconds: 5,
  },
  {
    config_name: 'ERPNext_Customer_Sync',
    config_description: 'ERP customers and segment assignments to the external CRM (set the URL to enable)',
    source_system: 'erp',
    target_system: 'external_crm',
    entity_type: 'Customer',
    configuration: {
      eventTypes: ['*customer*', '*segment*'],
      target: { kind: 'webhook', url: null },
      fieldMappings: { customer_name: 'name', customer_code: 'customer_code', territory: 'territory' },
      conflict: {
        strategy: 'merge',
        fieldRules: {
          email: { rule: 'source' },
          phone: { rule: 'source' },
          address: { rule: 'source' },
          credit_limit: { rule: 'higher' },
          payment_terms: { rule: 'source' },
        },
      },
    },
    sync_frequency: 'real_time',
    is_active: false,
  },
  {
    config_name: 'Item_Master_Sync',
    config_description: 'ERP items to warehouse management, hourly (set the URL to enable)',
    source_system: 'erp',
    target_system: 'warehouse_management',
    entity_type: 'Item',
    configuration: {
      eventTypes: ['*item*'],
      target: { kind: 'webhook', url: null },
      fieldMappings: { item_code: 'item_code', item_name: 'item_name', item_group: 'category' },
    },
    validation_rules: { required_fields: ['item_code', 'item_name'] },
    sync_frequency: 'hourly',
    is_active: false,
  },
  {
    config_name: 'ERP_Batch_Sync',
    config_description: 'ERP batches (received, consumed, expiring) to an external system (set the URL to enable)',
    source_system: 'erp',
    target_system: 'external_inventory',
    entity_type: 'Batch',
    configuration: {
      eventTypes: ['*batch*'],
      target: { kind: 'webhook', url: null },
      conflict: {
        strategy: 'merge',
        fieldRules: {
          quantity: { rule: 'source' },
          reserved: { rule: 'sum' },
          expiry_date: { rule: 'earlier' },
          batch_number: { rule: 'source' },
          batches: { rule: 'union_by_key', key: 'batchId', earlierOf: 'expiryDate' },
        },
      },
    },
    sync_frequency: 'real_time',
    is_active: false,
  },
  {
    config_name: 'ERP_Pricing_Sync',
    config_description: 'ERP pricing rules to the e-commerce platform (set the URL to enable)',
    source_system: 'erp',
    target_system: 'external_ecommerce',
    entity_type: 'PricingRule',
    configuration: {
      eventTypes: ['*pric*'],
      target: { kind: 'webhook', url: null },
      conflict: {
        strategy: 'merge',
        fieldRules: {
          amount: { rule: 'latest' },
          currency: { rule: 'source' },
          valid_from: { rule: 'earlier' },
          valid_to: { rule: 'later' },
        },
      },
    },
    sync_frequency: 'real_time',
    is_active: false,
  },
];
