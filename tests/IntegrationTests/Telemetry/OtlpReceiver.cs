using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Paseto.Auth.IntegrationTests.Telemetry;

/// <summary>
/// A minimal OTLP/HTTP receiver (binary protobuf, the OpenTelemetry protocol's
/// <c>/v1/traces</c> and <c>/v1/metrics</c>) on a loopback port: it decodes what arrives with a
/// protobuf wire reader of its own and keeps the span names, the metric names and the resource
/// attributes. No collector is packaged for this machine, so the test brings the receiving end.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public ConcurrentQueue<string> MetricNames { get; } = new();

    public ConcurrentDictionary<string, string> ResourceAttributes { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> ContentTypes { get; } = new();

    public string Endpoint { get; private set; } = "";

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.ContentTypes.Enqueue(context.Request.ContentType ?? "");
            switch (context.Request.Path.Value)
            {
                case "/v1/traces":
                    receiver.ReadTraces(body.ToArray());
                    break;
                case "/v1/metrics":
                    receiver.ReadMetrics(body.ToArray());
                    break;
                default:
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
            }

            // An empty Export*ServiceResponse: success, nothing rejected.
            context.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync();
        receiver.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>ExportTraceServiceRequest: resource_spans(1) → resource(1), scope_spans(2) → spans(2) → name(5), kind(6), attributes(9).</summary>
    private void ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Protobuf.Messages(request, 1))
        {
            ReadResource(resourceSpans);
            foreach (var scopeSpans in Protobuf.Messages(resourceSpans, 2))
            {
                foreach (var span in Protobuf.Messages(scopeSpans, 2))
                {
                    var name = Protobuf.Strings(span, 5).FirstOrDefault() ?? "";
                    var kind = (int)Protobuf.Varints(span, 6).FirstOrDefault();
                    var attributes = Protobuf.Messages(span, 9).Select(KeyValue).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
                    Spans.Enqueue(new ReceivedSpan(name, kind, attributes));
                }
            }
        }
    }

    /// <summary>ExportMetricsServiceRequest: resource_metrics(1) → resource(1), scope_metrics(2) → metrics(2) → name(1).</summary>
    private void ReadMetrics(byte[] request)
    {
        foreach (var resourceMetrics in Protobuf.Messages(request, 1))
        {
            ReadResource(resourceMetrics);
            foreach (var scopeMetrics in Protobuf.Messages(resourceMetrics, 2))
            {
                foreach (var metric in Protobuf.Messages(scopeMetrics, 2))
                {
                    MetricNames.Enqueue(Protobuf.Strings(metric, 1).FirstOrDefault() ?? "");
                }
            }
        }
    }

    private void ReadResource(ReadOnlyMemory<byte> parent)
    {
        foreach (var resource in Protobuf.Messages(parent, 1))
        {
            foreach (var (key, value) in Protobuf.Messages(resource, 1).Select(KeyValue))
            {
                ResourceAttributes[key] = value;
            }
        }
    }

    /// <summary>KeyValue: key(1), value(2) as AnyValue; the string_value(1) when there is one, else the value's raw fields as text.</summary>
    private static (string Key, string Value) KeyValue(ReadOnlyMemory<byte> pair)
    {
        var key = Protobuf.Strings(pair, 1).FirstOrDefault() ?? "";
        var any = Protobuf.Messages(pair, 2).FirstOrDefault();
        var value = Protobuf.Strings(any, 1).FirstOrDefault()
            ?? string.Join(",", Protobuf.Varints(any, 3).Select(v => ((long)v).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return (key, value);
    }

    public sealed record ReceivedSpan(string Name, int Kind, IReadOnlyDictionary<string, string> Attributes);

    /// <summary>The protobuf wire format, as much of it as a reader of OTLP needs (varint, 64-bit, length-delimited, 32-bit fields).</summary>
    private static class Protobuf
    {
        public static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> message, int field) =>
            Fields(message).Where(f => f.Number == field && f.WireType == 2).Select(f => f.Bytes);

        public static IEnumerable<string> Strings(ReadOnlyMemory<byte> message, int field) =>
            Messages(message, field).Select(b => Encoding.UTF8.GetString(b.Span));

        public static IEnumerable<ulong> Varints(ReadOnlyMemory<byte> message, int field) =>
            Fields(message).Where(f => f.Number == field && f.WireType == 0).Select(f => f.Varint);

        private static List<(int Number, int WireType, ReadOnlyMemory<byte> Bytes, ulong Varint)> Fields(ReadOnlyMemory<byte> message)
        {
            var fields = new List<(int, int, ReadOnlyMemory<byte>, ulong)>();
            var position = 0;
            while (position < message.Length)
            {
                var tag = ReadVarint(message.Span, ref position);
                var (number, wireType) = ((int)(tag >> 3), (int)(tag & 7));
                switch (wireType)
                {
                    case 0:
                        fields.Add((number, wireType, default, ReadVarint(message.Span, ref position)));
                        break;
                    case 1:
                        fields.Add((number, wireType, message.Slice(position, 8), 0));
                        position += 8;
                        break;
                    case 2:
                        var length = (int)ReadVarint(message.Span, ref position);
                        fields.Add((number, wireType, message.Slice(position, length), 0));
                        position += length;
                        break;
                    case 5:
                        fields.Add((number, wireType, message.Slice(position, 4), 0));
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Wire type {wireType} is not in OTLP.");
                }
            }

            return fields;
        }

        private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }
}
