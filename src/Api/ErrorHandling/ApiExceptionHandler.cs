using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.Api.ErrorHandling;

/// <summary>
/// The one place where failures become responses: every application exception maps to a status
/// code and an RFC 9457 problem. Anything unexpected is logged (without the request, which may
/// carry secrets) and answered with a bare 500 that names nothing internal.
/// </summary>
internal sealed partial class ApiExceptionHandler(
    IProblemDetailsService problems,
    DatabaseFailureLog databaseFailures,
    ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>How long a client should wait before retrying while the database is unreachable.</summary>
    public const int DatabaseRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
            return true;
        }

        var problem = Map(httpContext, exception);
        if (problem is null)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.GetEndpoint()?.DisplayName);
            problem = Problems.Create(StatusCodes.Status500InternalServerError, "An unexpected error occurred.");
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private ProblemDetails? Map(HttpContext httpContext, Exception exception)
    {
        switch (exception)
        {
            case RequestValidationException validation:
                return Problems.Validation(ValidationErrors.FromPropertyPaths(validation.Errors));
            case InvalidBodyException invalidBody:
                return Problems.Validation(invalidBody.Errors);
            case ConflictException:
                return Problems.Create(StatusCodes.Status409Conflict, exception.Message, ProblemTypes.Conflict);
            case ForbiddenException forbidden:
                return Problems.Create(StatusCodes.Status403Forbidden, exception.Message, forbidden.Reason switch
                {
                    ForbiddenReason.RefererSecret => ProblemTypes.RefererSecret,
                    ForbiddenReason.EmailNotVerified => ProblemTypes.EmailNotVerified,
                    ForbiddenReason.MfaEnrollmentRequired => ProblemTypes.MfaEnrollmentRequired,
                    ForbiddenReason.MfaSessionRequired => ProblemTypes.MfaSessionRequired,
                    _ => null,
                });
            case SecondFactorRequiredException mfa:
                var challenge = Problems.Create(StatusCodes.Status403Forbidden, exception.Message, ProblemTypes.MfaRequired);
                challenge.Extensions["mfa_token"] = mfa.MfaToken;
                challenge.Extensions["methods"] = mfa.Methods;
                return challenge;
            case SecondFactorException factor:
                // Not error="invalid_token": an access token sent with a step-up is fine, and a client must not refresh on this.
                httpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Create(StatusCodes.Status401Unauthorized, exception.Message, factor.Failure switch
                {
                    SecondFactorFailure.Missing => ProblemTypes.MfaCodeRequired,
                    SecondFactorFailure.Wrong => ProblemTypes.WrongMfaCode,
                    _ => ProblemTypes.MfaTokenInvalid,
                });
            case PasskeyException passkey:
                return Passkey(httpContext, passkey);
            case NotFoundException:
                return Problems.Create(StatusCodes.Status404NotFound, exception.Message);
            case PreconditionFailedException:
                return Problems.Create(StatusCodes.Status412PreconditionFailed, exception.Message, ProblemTypes.PreconditionFailed);
            case ConcurrencyException:
                // A race lost even after retrying, by a request that set no precondition: try again.
                return Problems.Create(StatusCodes.Status409Conflict, exception.Message, ProblemTypes.Conflict);
            case InvalidCredentialsException:
                httpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Create(StatusCodes.Status401Unauthorized, exception.Message, ProblemTypes.InvalidCredentials);
            case InvalidClientException:
                // RFC 7662 §2.1 and RFC 6749 §5.2: a client that failed HTTP Basic gets its challenge.
                httpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"introspection\", charset=\"UTF-8\"";
                return Problems.Create(StatusCodes.Status401Unauthorized, exception.Message, ProblemTypes.InvalidClient);
            case WrongPasswordException { SessionEnded: true }:
                // The token is dead now: error="invalid_token" (RFC 6750 §3.1), as for any revoked session.
                httpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return Problems.Create(StatusCodes.Status401Unauthorized, exception.Message, ProblemTypes.SessionEnded);
            case WrongPasswordException:
                // The token is fine: no error="invalid_token", or clients would refresh and retry.
                httpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Create(StatusCodes.Status401Unauthorized, exception.Message, ProblemTypes.WrongPassword);
            case TooManyRequestsException tooMany:
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(tooMany.RetryAfter);
                return Problems.Create(StatusCodes.Status429TooManyRequests, exception.Message, ProblemTypes.TooManyRequests);
            case BadHttpRequestException badRequest:
                return Problems.Create(badRequest.StatusCode, badRequest.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                    StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are too large.",
                    _ => "The request could not be read.",
                });
            case var _ when DatabaseFailures.IsSchemaMissing(exception):
                LogSchemaMissing(logger);
                return Unavailable(httpContext);
            case var _ when DatabaseFailures.IsCredentialsRefused(exception) || DatabaseFailures.IsUnavailable(exception)
                || DatabaseFailures.IsPreparedStatementLost(exception):
                // Refused credentials, and a pooler that lost a prepared statement, are no fault of
                // the request either, and the client can only wait: 503, with the cause in the log
                // (once, not per request), never in the answer.
                databaseFailures.Report(exception);
                return Unavailable(httpContext);
            default:
                return null;
        }
    }

    private static ProblemDetails Passkey(HttpContext httpContext, PasskeyException passkey)
    {
        switch (passkey.Failure)
        {
            case PasskeyFailure.Malformed:
                return Problems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["credential"] = [passkey.Message] });
            case PasskeyFailure.ChallengeInvalid:
                return Problems.Create(StatusCodes.Status400BadRequest, passkey.Message, ProblemTypes.PasskeyChallengeInvalid);
            case PasskeyFailure.WrongRelyingParty:
                return Problems.Create(StatusCodes.Status400BadRequest, passkey.Message, ProblemTypes.PasskeyOriginMismatch);
            case PasskeyFailure.RegistrationRefused:
                return Problems.Create(StatusCodes.Status400BadRequest, passkey.Message, ProblemTypes.PasskeyRefused);
            case PasskeyFailure.CredentialTaken:
                return Problems.Create(StatusCodes.Status409Conflict, passkey.Message, ProblemTypes.Conflict);
            default:
                // Not error="invalid_token": an access token sent with a step-up is fine.
                httpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Create(StatusCodes.Status401Unauthorized, passkey.Message,
                    passkey.Failure == PasskeyFailure.CounterRegressed ? ProblemTypes.PasskeyCounterRegressed : ProblemTypes.PasskeyRefused);
        }
    }

    private static ProblemDetails Unavailable(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status503ServiceUnavailable, "The service is temporarily unavailable. Try again shortly.", ProblemTypes.Unavailable);
    }

    private static string RetryAfterSeconds(TimeSpan delay) =>
        Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database schema is missing or older than this build: apply the migrations (the host's migrate verb). Answering 503 until then.")]
    private static partial void LogSchemaMissing(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Endpoint}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string? endpoint);
}
