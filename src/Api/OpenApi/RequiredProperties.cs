using System.Text.Json.Serialization;
using Namotion.Reflection;
using NJsonSchema;
using NJsonSchema.Generation;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Marks as required every property that is always present: declared non-nullable (a value type,
/// or a reference type without <c>?</c>) and never left out when null. A property the serializer
/// drops when it is null (<c>[JsonIgnore(Condition = WhenWritingNull)]</c>) is optional instead of
/// nullable: it is absent, never <c>null</c>. Validation stays with FluentValidation; this only
/// describes the shapes, so the generated clients type them right.
/// </summary>
internal sealed class RequiredProperties : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        // A derived type's own properties sit beside the reference to its base, in allOf.
        var schema = context.Schema.Properties.Count > 0
            ? context.Schema
            : context.Schema.AllOf.FirstOrDefault(s => s.Reference is null && s.Properties.Count > 0);
        if (schema is null)
        {
            return;
        }

        foreach (var property in context.ContextualType.Properties)
        {
            var name = context.Settings.ReflectionService.GetPropertyName(property, context.Settings);
            if (!schema.Properties.TryGetValue(name, out var propertySchema))
            {
                continue;
            }

            var ignore = property.GetAttribute<JsonIgnoreAttribute>(true);
            if (ignore?.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault)
            {
                propertySchema.IsNullableRaw = null;
                schema.RequiredProperties.Remove(name);
            }
            else if (propertySchema.IsNullableRaw == true && propertySchema.Type == JsonObjectType.None && propertySchema.OneOf.Concat(propertySchema.AllOf).Any(s => s.Reference is not null))
            {
                // OpenAPI 3.0 cannot say "this schema, or null" without a type beside the
                // reference, so a nullable object property is one that may be left out (the
                // server reads null and absent alike), as SchemaRules does for its references.
                propertySchema.IsNullableRaw = null;
                if (propertySchema.OneOf.Count == 1)
                {
                    propertySchema.AllOf.Add(propertySchema.OneOf.Single());
                    propertySchema.OneOf.Clear();
                }
            }
            else if (property.Nullability == Nullability.NotNullable && !schema.RequiredProperties.Contains(name))
            {
                schema.RequiredProperties.Add(name);
            }
        }
    }
}
