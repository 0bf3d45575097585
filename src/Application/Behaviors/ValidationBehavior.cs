using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Behaviors;

/// <summary>
/// Runs every validator of the message before its handler and reports all failures at once.
/// Logs nothing: messages carry passwords, tokens and the referer secret.
/// </summary>
public sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    private readonly IValidator<TMessage>[] _validators = validators as IValidator<TMessage>[] ?? [.. validators];

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length > 0)
        {
            var context = new ValidationContext<TMessage>(message);
            List<FluentValidation.Results.ValidationFailure>? failures = null;
            foreach (var validator in _validators)
            {
                var result = await validator.ValidateAsync(context, cancellationToken);
                if (!result.IsValid)
                {
                    (failures ??= []).AddRange(result.Errors);
                }
            }

            if (failures is not null)
            {
                throw new RequestValidationException(RequestValidationException.Group(failures));
            }
        }

        return await next(message, cancellationToken);
    }
}
