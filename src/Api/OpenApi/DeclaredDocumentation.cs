using System.Reflection;
using System.Text.Json;
using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Adds to an operation what its action declares with <see cref="AlsoAcceptsAttribute"/>,
/// <see cref="ResponseHeaderAttribute"/> and <see cref="RequestHeaderAttribute"/>: the parts of
/// the HTTP exchange that no parameter or return type shows.
/// </summary>
internal sealed class DeclaredDocumentation : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var operation = context.OperationDescription.Operation;
        foreach (var body in context.MethodInfo.GetCustomAttributes<AlsoAcceptsAttribute>())
        {
            var schema = context.SchemaGenerator.GenerateWithReference<JsonSchema>(body.Body.ToContextualType(), context.SchemaResolver);
            operation.RequestBody.Content[body.ContentType] = new OpenApiMediaType { Schema = schema };
            if (body.ContentType == "application/x-www-form-urlencoded")
            {
                // NSwag describes [FromForm] parameters as a multipart body, which the action does
                // not read; the declared form type is the body it does.
                operation.RequestBody.Content.Remove("multipart/form-data");
                operation.RequestBody.IsRequired = true;
            }
        }

        foreach (var header in context.MethodInfo.GetCustomAttributes<ResponseHeaderAttribute>())
        {
            var key = header.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(key, out var response))
            {
                throw new InvalidOperationException($"{context.MethodInfo.Name} names a header of a {header.Status} it does not declare.");
            }

            response.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = new JsonSchema { Type = JsonObjectType.String } };
        }

        foreach (var header in context.MethodInfo.GetCustomAttributes<RequestHeaderAttribute>())
        {
            // A parameter bound to the header describes it already.
            if (!operation.Parameters.Any(p => p.Kind == OpenApiParameterKind.Header && string.Equals(p.Name, header.Name, StringComparison.OrdinalIgnoreCase)))
            {
                // As a [FromHeader] string? parameter would be: the client's argument is named in camelCase.
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = header.Name,
                    OriginalName = JsonNamingPolicy.CamelCase.ConvertName(header.Name.Replace("-", string.Empty, StringComparison.Ordinal)),
                    Kind = OpenApiParameterKind.Header,
                    Description = header.Description,
                    Schema = new JsonSchema { Type = JsonObjectType.String, IsNullableRaw = true },
                });
            }
        }

        return true;
    }
}
