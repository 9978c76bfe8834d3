using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ControlRoom.Gateway.Ingest;

public static class IngestEndpoints
{
    public const string Path = "/api/events";

    private static readonly string[] AcceptedMediaTypes =
        ["application/cloudevents+json", "application/cloudevents-batch+json", "application/json"];

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, IngestAsync)
            .WithName("IngestEvents")
            .WithSummary("Accepts one CloudEvent (structured JSON) or a batch; all valid or nothing appended.")
            .RequireAuthorization(Access.GatewayAccess.IngestPolicy) // an API key scoped to ingest
            .RequireRateLimiting(Access.GatewayAccess.IngestRateLimit)
            .DisableAntiforgery()
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<IResult> IngestAsync(
        HttpRequest request, EventIngestor ingestor, IOptions<IngestOptions> options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !AcceptedMediaTypes.Contains(mediaType))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send {string.Join(", ", AcceptedMediaTypes)}.");

        var limit = options.Value.MaxRequestBytes;
        if (request.ContentLength > limit)
            return TooLarge(limit);
        var body = await ReadBodyAsync(request, limit, cancellationToken);
        if (body is null)
            return TooLarge(limit);

        IngestOutcome outcome;
        try
        {
            outcome = await ingestor.IngestAsync(body.Value, Access.ApiKeyAuthentication.GrantOf(request.HttpContext)!.Refuse, cancellationToken);
        }
        catch (JsonException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed JSON", ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(IngestEndpoints)).LogError(ex, "The stream refused an append");
            return Problem(StatusCodes.Status503ServiceUnavailable, "Stream unavailable",
                "The events could not be stored on the stream; retry with the same ids (duplicates are accepted once).");
        }

        if (outcome.OutOfScope)
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Events outside this key's scope: nothing was accepted",
                Detail = string.Join(" ", outcome.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            });
        if (!outcome.IsValid)
            return TypedResults.ValidationProblem(outcome.Errors,
                title: "Invalid events: nothing was accepted",
                detail: "Fix the listed events and resend the whole request.");

        return TypedResults.Accepted((string?)null, new
        {
            accepted = outcome.Accepted.Count(e => !e.Duplicate),
            duplicates = outcome.Accepted.Count(e => e.Duplicate),
            events = outcome.Accepted,
        });
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    internal static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.Buffer.Length > limit)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                return null;
            }
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    internal static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"A request may carry at most {limit} bytes.");

    internal static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
