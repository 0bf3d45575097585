using Namotion.Reflection;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Paseto.Auth.Api.Hosting;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// The health endpoints in the document: they are health-check endpoints, not actions, so the API
/// explorer does not see them. What they answer follows the same conventions as every operation.
/// </summary>
internal sealed class HealthDocumentation : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        JsonSchema Reference<T>() => context.SchemaGenerator.GenerateWithReference<JsonSchema>(typeof(T).ToContextualType(), context.SchemaResolver);
        var healthy = Reference<HealthResponse>();
        var problem = Reference<Problem>();

        Add(context.Document, HealthEndpoints.LivePath, "getLive", "Whether the process runs; nothing else is asked.", healthy, problem, notReady: null);
        Add(context.Document, HealthEndpoints.ReadyPath, "getReady",
            "Whether this instance can serve: the database answers and has every migration this build knows.", healthy, problem, HealthEndpoints.NotReadyDetail);
    }

    private static void Add(OpenApiDocument document, string path, string id, string summary, JsonSchema healthy, JsonSchema problem, string? notReady)
    {
        var operation = new OpenApiOperation
        {
            OperationId = id,
            Summary = summary,
            Tags = ["Health"],
        };
        operation.Responses["200"] = new OpenApiResponse { Schema = healthy };
        foreach (var status in (int[])[StatusCodes.Status413PayloadTooLarge, StatusCodes.Status431RequestHeaderFieldsTooLarge, StatusCodes.Status503ServiceUnavailable])
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse { Schema = problem };
        }

        if (notReady is not null)
        {
            operation.Responses["503"].Description = notReady;
        }

        SecurityRequirements.None(operation);
        ResponseDocumentation.Complete(operation);
        document.Paths[path] = new OpenApiPathItem { [OpenApiOperationMethod.Get] = operation };
    }
}
