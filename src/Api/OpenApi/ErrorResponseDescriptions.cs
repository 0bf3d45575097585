using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Makes every endpoint's error responses in the API description tell the truth, whatever its
/// attributes say: each error is a <see cref="Problem"/> (a 400 a <see cref="ValidationProblem"/>)
/// sent as <c>application/problem+json</c>, and the errors the pipeline adds on its own are listed
/// where it can answer them, and only there:
/// 413 and 431 everywhere (the request limits are checked before routing, whatever the method);
/// 503 (the database is down) everywhere too, since a token is checked against the database
/// wherever one is sent, and every endpoint that needs a token or reads a body reaches it anyway;
/// 401 where a token is required; 400 where MVC binds anything (even a <c>CancellationToken</c>
/// alone makes it read a form body, and a broken one is a 400; an action without parameters never
/// reads the request); 415 where a body is read.
/// Controllers declare only the outcomes of their own use case.
/// </summary>
internal sealed class ErrorResponseDescriptions : IApiDescriptionProvider
{
    // After the framework's provider (-1000), which builds the descriptions from the attributes.
    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            var action = description.ActionDescriptor;
            var readsBody = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form);
            if (SecurityRequirements.NeedsToken(action))
            {
                Ensure(description, StatusCodes.Status401Unauthorized);
            }

            if (action.Parameters.Count > 0 || action.BoundProperties.Count > 0)
            {
                Ensure(description, StatusCodes.Status400BadRequest);
            }

            if (readsBody)
            {
                Ensure(description, StatusCodes.Status415UnsupportedMediaType);
            }

            Ensure(description, StatusCodes.Status413PayloadTooLarge);
            Ensure(description, StatusCodes.Status431RequestHeaderFieldsTooLarge);
            Ensure(description, StatusCodes.Status503ServiceUnavailable);

            foreach (var response in description.SupportedResponseTypes.Where(r => r.StatusCode >= 400))
            {
                // A problem with members of its own (login's 403) keeps its schema.
                response.Type = response.Type == typeof(MfaRequiredProblem) ? response.Type : BodyOf(response.StatusCode);
                response.ModelMetadata = null;
                response.ApiResponseFormats = [new ApiResponseFormat { MediaType = Problems.ContentType }];
            }
        }
    }

    private static Type BodyOf(int status) => status == StatusCodes.Status400BadRequest ? typeof(ValidationProblem) : typeof(Problem);

    private static void Ensure(ApiDescription description, int status)
    {
        if (description.SupportedResponseTypes.All(r => r.StatusCode != status))
        {
            description.SupportedResponseTypes.Add(new ApiResponseType { StatusCode = status, Type = BodyOf(status) });
        }
    }
}
