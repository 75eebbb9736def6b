import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's response serializers (fast-json-stringify), built once per schema object instead of
 * once per route and status. Most routes answer their errors with the same `errorResponseSchema`
 * object under three or four statuses, so building each anew was most of the serializer work
 * at start-up. A serializer depends only on its schema and the options, both fixed here.
 */
export function cachingSerializerFactory(): SerializerFactory {
  const build = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    const built = new WeakMap<object, ReturnType<typeof compile>>();
    return (route) => {
      const schema = route.schema;
      if (typeof schema !== 'object' || schema === null) return compile(route);
      let serialize = built.get(schema);
      if (!serialize) {
        serialize = compile(route);
        built.set(schema, serialize);
      }
      return serialize;
    };
  };
}
