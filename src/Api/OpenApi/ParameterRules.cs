using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Users;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// The limits the validators put on query parameters, from their constants, and examples for the
/// parameters a client must fill in. Optional filters get no example: Swagger UI would fill it in
/// and filter every try.
/// </summary>
internal sealed class ParameterRules : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        foreach (var parameter in context.OperationDescription.Operation.Parameters)
        {
            var schema = parameter.Schema;
            switch (parameter.Kind, parameter.Name)
            {
                case (OpenApiParameterKind.Query, "limit"):
                    schema.Minimum = 1;
                    schema.Maximum = Paging.MaxLimit;
                    schema.Default = Paging.DefaultLimit;
                    parameter.Example = Paging.DefaultLimit;
                    break;
                case (OpenApiParameterKind.Query, "q"):
                    schema.MaxLength = UserRules.EmailMaxLength;
                    break;
                case (OpenApiParameterKind.Query, "type"):
                    parameter.Schema = new JsonSchema { Reference = SchemaRules.SecurityEventType(context.SchemaResolver) };
                    break;
                case (OpenApiParameterKind.Path, "username"):
                    parameter.Example = "alice";
                    break;
                case (OpenApiParameterKind.Path, "id"):
                    parameter.Example = schema.Format == "uuid" ? "3f2b8c4e-9d1a-4e7b-8c55-0a6f1e2d3b4c" : 7;
                    break;
            }
        }

        return true;
    }
}
