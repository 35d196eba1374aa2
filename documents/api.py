"""The documents API (DESIGN §13, §19): a case's documents (list, and upload as multipart), one
document's record, and its bytes. The only operations of the API that take multipart; visibility from
documents.selectors, the upload through documents.services, the bytes through documents.downloads."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import services
from documents.downloads import file_response
from documents.files import ACCEPTED
from documents.models import Document, DocumentKind
from documents.selectors import document_for, documents_of, owner_for
from documents.uploads import body_too_large, too_large_message


class DocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    withdrawn_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    replaced_by = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "person",
            "referral",
            "kind",
            "title",
            "dated_on",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "agency",
            "uploaded_at",
            "replaces",
            "replaced_by",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "file",
        ]
        read_only_fields = fields

    def get_replaced_by(self, document) -> int | None:
        successor = getattr(document, "replaced_by", None)  # selected with the document
        return successor.pk if successor else None

    def get_file(self, document) -> str:
        """Where the bytes are (GET, logged)."""
        path = reverse("document-file", kwargs={"pk": document.pk})
        return self.context["request"].build_absolute_uri(path)


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("PDF, JPEG, PNG, WebP, DOCX or XLSX; the type is read from the content.")
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    dated_on = serializers.DateField()


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class CaseDocuments(generics.ListAPIView):
    """A case's documents, every version (newest paper first); POST adds one."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]

    def dispatch(self, request, *args, **kwargs):
        # The URL runs outside the request's transaction for the upload's sake (documents.services);
        # a list still reads in one, as every other request does.
        if request.method == "POST":
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        # Before authentication: a session's CSRF check would read the body.
        if request.method == "POST" and body_too_large(request):
            raise PayloadTooLarge(gettext("The file is larger than %(max)s MB.") % too_large_message())
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        return documents_of(owner_for(self.request.user, "case", self.kwargs["pk"]))

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer}, responses={201: DocumentSerializer}
    )
    def post(self, request, pk):
        case = owner_for(request.user, "case", pk)
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = services.document_upload(
            actor=request.user,
            owner=case,
            upload=upload.validated_data["file"],
            **{name: upload.validated_data[name] for name in ("kind", "title", "dated_on")},
        )
        return Response(DocumentSerializer(document, context=self.get_serializer_context()).data, status=201)


class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = DocumentSerializer

    def get_object(self):
        return document_for(self.request.user, self.kwargs["pk"])


class DocumentFile(APIView):
    @extend_schema(
        responses={
            (200, mime): OpenApiResponse(OpenApiTypes.BINARY, description="The stored bytes.")
            for mime in ACCEPTED
        }
    )
    def get(self, request, pk):
        """The document's bytes as stored (their SHA-256 is the record's), as an attachment; logged."""
        return file_response(request, document_for(request.user, pk))
