using Paseto.Auth.Api;
using Paseto.Auth.Api.Hosting;
using Paseto.Auth.Application;
using Paseto.Auth.Infrastructure;

var command = HostCommandLine.Parse(args);
if (HostCommandLine.TryAnswer(command, out var answered))
{
    return answered;
}

var (verb, hostArgs) = (command.Verb, command.HostArgs);
try
{
    var builder = WebApplication.CreateBuilder(hostArgs);
    if (HostVerbs.TryRunWithoutHost(verb, hostArgs, builder.Configuration, out var exitCode))
    {
        return exitCode;
    }

    builder.Services.AddApplication().AddInfrastructure(builder.Configuration, builder.Environment).AddApi(builder.Configuration);

    // Not disposed on the way out of a failed start: the test host, which runs this entry point,
    // reads the start-up exception from the app's services.
    var app = builder.Build();
    if (verb is not null)
    {
        await using (app)
        {
            return await HostVerbs.RunAsync(app, verb, hostArgs);
        }
    }

    app.UseApi();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (StartupErrors.OwnsTheProcess && StartupErrors.Describe(e) is { } message)
{
    return StartupErrors.Report(message);
}

public partial class Program;
