using FluentValidation;
using FluentValidation.Results;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Api.Requests;

/// <summary>
/// A request header that cannot be read is answered as a body field that fails validation is:
/// one 400 that lists it beside whatever the command's own validators find, so a client learns of
/// every fault at once. The command is validated here, never sent.
/// </summary>
internal static class HeaderErrors
{
    /// <param name="key">The header's name in the problem's <c>errors</c>, in snake_case like the body's fields.</param>
    public static async Task<RequestValidationException> WithCommandErrorsAsync<TCommand>(
        HttpContext context,
        TCommand command,
        string key,
        string message,
        CancellationToken cancellationToken)
    {
        var failures = new List<ValidationFailure>();
        foreach (var validator in context.RequestServices.GetServices<IValidator<TCommand>>())
        {
            failures.AddRange((await validator.ValidateAsync(command, cancellationToken)).Errors);
        }

        var errors = RequestValidationException.Group(failures);
        errors[key] = [message];
        return new RequestValidationException(errors);
    }
}
