"""moto_server with a clock that tests can move.

Age rules (access keys older than 90 days, secrets not rotated, unused credentials) are judged at a
snapshot's capture time, so an end-to-end test needs resources that AWS would report as created months
ago. moto stamps resources with its own clock, and has no API to backdate them: this runs the same
moto server application and adds one endpoint, `POST /_clock {"offsetDays": -120}`, that shifts the
emulator's clock (0 puts it back).

It also fills in one operation moto 5.2 lacks and awsinv calls, so a collection against the emulator
does not fail on it: IAM `ListServerCertificateTags` (moto drops the tags given to
`UploadServerCertificate`; they are kept on the certificate and listed back). And it makes the server
certificate metadata true: moto answers the same fixed `UploadDate` (2010), `Expiration` (2012) and
`ServerCertificateId` for every certificate, so no certificate could ever look valid; here the expiration
is the certificate's own notAfter, the upload date the (moved) clock at upload, the id the one moto keys
it by, as IAM reports them. Everything else is moto, unchanged.
"""

import argparse
import json
from datetime import datetime, timedelta, timezone

from cryptography import x509
from freezegun import freeze_time
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.iam.responses import IamResponse
from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

_freezer = None


def _set_offset(days: float) -> None:
    global _freezer
    if _freezer is not None:
        _freezer.stop()
        _freezer = None
    if days:
        _freezer = freeze_time(datetime.now(timezone.utc) + timedelta(days=days), tick=True)
        _freezer.start()


def _add_server_certificate_tags() -> None:
    upload = IamResponse.upload_server_certificate

    def upload_server_certificate(self):  # type: ignore[no-untyped-def]
        result = upload(self)
        certificate = self.backend.get_server_certificate(self._get_param("ServerCertificateName"))
        certificate.tags = self._get_param("Tags", [])
        return result

    def list_server_certificate_tags(self):  # type: ignore[no-untyped-def]
        # NoSuchEntity (404) for an unknown name, as IAM answers.
        certificate = self.backend.get_server_certificate(self._get_param("ServerCertificateName"))
        return ActionResult({"Tags": getattr(certificate, "tags", []), "IsTruncated": False})

    IamResponse.upload_server_certificate = upload_server_certificate
    IamResponse.list_server_certificate_tags = list_server_certificate_tags


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _fix_server_certificate_metadata() -> None:
    upload = IamResponse.upload_server_certificate
    listing = IamResponse.list_server_certificates
    get = IamResponse.get_server_certificate

    def metadata_of(backend, metadata):  # type: ignore[no-untyped-def]
        """The metadata moto answered, with the certificate's real id, upload date and expiration."""
        for certificate_id, certificate in backend.certificates.items():
            if certificate.cert_name != metadata["ServerCertificateName"]:
                continue
            fixed = {**metadata, "ServerCertificateId": certificate_id}
            if getattr(certificate, "uploaded", None):
                fixed["UploadDate"] = certificate.uploaded
            try:
                parsed = x509.load_pem_x509_certificate(certificate.cert_body.encode())
                fixed["Expiration"] = _iso(parsed.not_valid_after_utc)
            except ValueError:
                pass  # not a PEM certificate: keep moto's answer
            return fixed
        return metadata

    def upload_server_certificate(self):  # type: ignore[no-untyped-def]
        result = upload(self)
        certificate = self.backend.get_server_certificate(self._get_param("ServerCertificateName"))
        certificate.uploaded = _iso(utcnow())
        result.result["ServerCertificateMetadata"] = metadata_of(self.backend, result.result["ServerCertificateMetadata"])
        return result

    def list_server_certificates(self):  # type: ignore[no-untyped-def]
        result = listing(self)
        result.result["ServerCertificateMetadataList"] = [metadata_of(self.backend, m) for m in result.result["ServerCertificateMetadataList"]]
        return result

    def get_server_certificate(self):  # type: ignore[no-untyped-def]
        result = get(self)
        certificate = result.result["ServerCertificate"]
        certificate["ServerCertificateMetadata"] = metadata_of(self.backend, certificate["ServerCertificateMetadata"])
        return result

    IamResponse.upload_server_certificate = upload_server_certificate
    IamResponse.list_server_certificates = list_server_certificates
    IamResponse.get_server_certificate = get_server_certificate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()

    _add_server_certificate_tags()
    _fix_server_certificate_metadata()
    moto_app = DomainDispatcherApplication(create_backend_app)

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO") == "/_clock" and environ.get("REQUEST_METHOD") == "POST":
            body = json.loads(Request(environ).get_data() or b"{}")
            _set_offset(float(body.get("offsetDays", 0)))
            return Response("{}", mimetype="application/json")(environ, start_response)
        return moto_app(environ, start_response)

    run_simple(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
