using System.Reflection;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Api.Controllers;

namespace Paseto.Auth.UnitTests.Foundation;

/// <summary>
/// Every controller turns a request into a use case's message one way: it binds a request
/// record of the Api (or route, query and header values) and maps it; no message of the
/// Application is ever bound from the request, so the wire format stays the Api's to decide.
/// </summary>
public sealed class RequestBindingTests
{
    private static IEnumerable<(string Action, ParameterInfo Parameter)> ActionParameters() =>
        typeof(AuthController).Assembly.GetTypes()
            .Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters().Select(p => ($"{m.DeclaringType!.Name}.{m.Name}", p)));

    [Test]
    public void No_action_binds_a_message_of_the_application()
    {
        var messages = ActionParameters()
            .Where(a => typeof(IMessage).IsAssignableFrom(a.Parameter.ParameterType))
            .Select(a => $"{a.Action}({a.Parameter.ParameterType.Name})");

        Assert.That(messages, Is.Empty);
    }

    [Test]
    public void Every_body_is_a_request_record_of_the_api()
    {
        var bodies = ActionParameters()
            .Where(a => a.Parameter.ParameterType.IsClass && a.Parameter.ParameterType != typeof(string))
            .Select(a => a.Parameter.ParameterType)
            .ToList();

        Assert.That(bodies, Is.Not.Empty);
        Assert.That(bodies.Select(t => t.Namespace).Distinct(), Is.EqualTo(new[] { "Paseto.Auth.Api.Requests" }));
        Assert.That(bodies.Select(t => t.Name), Is.All.EndsWith("Request"));
    }
}
