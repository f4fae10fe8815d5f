/**
 * Every error code Tencent documents for the SSL API (version 2019-12-05) and every common code of
 * API 3.0, each with the kind of failure it is. docs/tencent-error-codes.md is this table for people,
 * with its sources; a test holds the two together, and another sends every code through the gateway
 * over HTTP (the simulator answers with it) to check the answer the kind promises.
 *
 * The kinds are what an operator reasons about; `classify` (codes.ts) decides the gateway's
 * behaviour from Tencent's code families, so that a code Tencent adds later to a family is handled
 * like its siblings. Where the two could disagree, the test says so.
 *
 * Sources (read in 2026, see the document for the pages):
 *   - `common`: the common error codes of every API 3.0 product (international and Chinese references);
 *   - `ssl-cn`: the SSL API's codes in the Chinese reference and tencentcloud-sdk-go's ssl/v20191205/errors.go;
 *   - `ssl-intl`: the international reference and tencentcloud-sdk-go-intl-en's ssl/v20191205/errors.go;
 *   - `BatchDeleteCSR`: the codes the action's own page lists.
 * Descriptions are the international reference's English; where it has none, a translation of the Chinese.
 */

export type CodeKind =
  /** Tencent refused the call because of a request rate: nothing was done, and a later call may pass. */
  | 'throttling'
  /** The credentials, the signature, the token or the account's access rules refused the call. */
  | 'authentication'
  /** A parameter of the call is wrong. */
  | 'invalidParameters'
  /** A resource is missing, busy, exhausted or unavailable. */
  | 'resources'
  /** Tencent refused the operation itself (or the request, as the gateway sent it: action, version, protocol). */
  | 'operations'
  /** Tencent failed inside: a later call may pass. */
  | 'internal';

export type CodeSource = 'common' | 'ssl-cn' | 'ssl-intl' | 'BatchDeleteCSR';

export interface DocumentedCode {
  readonly code: string;
  readonly kind: CodeKind;
  readonly sources: readonly CodeSource[];
  readonly description: string;
}

type Row = readonly [code: string, sources: string, description: string];

const rows: Readonly<Record<CodeKind, readonly Row[]>> = {
  throttling: [
    ['LimitExceeded.RateLimitExceeded', 'ssl-cn ssl-intl', 'The API rate limit is reached.'],
    ['RequestLimitExceeded', 'common', 'The number of requests exceeds the frequency limit.'],
    ['RequestLimitExceeded.GlobalRegionUinLimitExceeded', 'common', 'Uin exceeds the frequency limit.'],
    ['RequestLimitExceeded.IPLimitExceeded', 'common', 'The number of ip requests exceeds the frequency limit.'],
    ['RequestLimitExceeded.UinLimitExceeded', 'common', 'The number of uin requests exceeds the frequency limit.'],
  ],
  authentication: [
    ['AuthFailure', 'ssl-cn ssl-intl', 'A CAM signature/authentication error occurred.'],
    ['AuthFailure.InvalidAuthorization', 'common', '`Authorization` in the request header is invalid.'],
    ['AuthFailure.InvalidSecretId', 'common', 'Invalid key (not a TencentCloud API key type).'],
    ['AuthFailure.MFAFailure', 'common', 'MFA failed.'],
    ['AuthFailure.SecretIdNotFound', 'common', 'Key does not exist. Check if the key has been deleted or disabled in the console, and if not, check if the key is correctly entered. Note that whitespaces should not exist before or after the key.'],
    ['AuthFailure.SignatureExpire', 'common', 'Signature expired. Timestamp and server time cannot differ by more than five minutes. Please ensure your current local time matches the standard time.'],
    ['AuthFailure.SignatureFailure', 'common', 'Invalid signature. Signature calculation error. Please ensure you have followed the signature calculation process described in the Signature API documentation.'],
    ['AuthFailure.TokenFailure', 'common', 'Token error.'],
    ['AuthFailure.UnauthorizedOperation', 'common ssl-cn ssl-intl', 'The request is not authorized. For more information, see the CAM documentation.'],
    ['IpInBlacklist', 'common', 'Your IP is in uin IP blacklist.'],
    ['IpNotInWhitelist', 'common', 'Your IP is not in uin IP whitelist.'],
    ['UnauthorizedOperation', 'common ssl-cn', 'Unauthorized operation.'],
  ],
  invalidParameters: [
    ['InvalidParameter', 'common ssl-cn ssl-intl BatchDeleteCSR', 'Incorrect parameter.'],
    ['InvalidParameter.CertificateIdNumberLimit', 'ssl-cn', 'At most 50 certificate IDs can be queried.'],
    ['InvalidParameter.CertificateStatusNotAllowResubmit', 'ssl-cn ssl-intl', 'You cannot re-submit a review application for a certificate in this status.'],
    ['InvalidParameter.CertificatesNumberExceeded', 'ssl-cn ssl-intl', 'Number of certificates exceed the limit.'],
    ['InvalidParameter.ContainsInvalidCertificateId', 'ssl-cn', 'Contains an invalid certificate ID.'],
    ['InvalidParameter.DomainCountInvalid', 'ssl-cn', 'Invalid number of domains.'],
    ['InvalidParameter.DomainInvalid', 'ssl-cn', 'Invalid domain; enter it again.'],
    ['InvalidParameter.InvalidCSRId', 'ssl-intl BatchDeleteCSR', 'Incorrect CSR ID.'],
    ['InvalidParameter.MissMatchPrivateKey', 'ssl-cn ssl-intl', 'There is no matching private key.'],
    ['InvalidParameter.PackageIdsInvalid', 'ssl-cn ssl-intl', 'The list of benefit point IDs is invalid.'],
    ['InvalidParameter.PeriodInvalid', 'ssl-cn', 'Invalid certificate validity period.'],
    ['InvalidParameter.ProductPidInvalid', 'ssl-cn', 'Invalid product PID.'],
    ['InvalidParameter.RegionNotEmpty', 'ssl-cn', 'Region must not be empty.'],
    ['InvalidParameter.RenewAlgorithmInvalid', 'ssl-cn ssl-intl', 'The algorithm is invalid.'],
    ['InvalidParameter.RenewCsrInvalid', 'ssl-cn', 'Invalid CSR.'],
    ['InvalidParameter.RenewGenCsrMethodInvalid', 'ssl-cn', 'Invalid CSR generation method.'],
    ['InvalidParameter.WithDetailReason', 'ssl-cn ssl-intl BatchDeleteCSR', 'The parameter is incorrect.'],
    ['InvalidParameterValue', 'common ssl-cn ssl-intl BatchDeleteCSR', 'Invalid parameter value.'],
    ['InvalidParameterValue.CertificateDomainMaxLengthInvalid', 'ssl-cn ssl-intl', 'The certificate domain is too long (64 characters at most).'],
    ['InvalidParameterValue.CertificateEmailParseInvalid', 'ssl-cn ssl-intl', 'The email address is malformed.'],
    ['InvalidParameterValue.IntermediateCertNotSame', 'ssl-cn ssl-intl', 'Intermediate certificate inconsistent.'],
    ['MissingParameter', 'common ssl-cn ssl-intl', 'A parameter is missing.'],
    ['UnknownParameter', 'common ssl-cn', 'Unknown parameter.'],
  ],
  resources: [
    ['LimitExceeded', 'common', 'Quota limit exceeded.'],
    ['ResourceInUse', 'common', 'Resource is in use.'],
    ['ResourceInsufficient', 'common', 'Insufficient resource.'],
    ['ResourceNotFound', 'common', 'The resource does not exist.'],
    ['ResourceNotFound.Manager', 'ssl-cn ssl-intl', 'The manager of the company does not exist.'],
    ['ResourceUnavailable', 'common', 'Resource is unavailable.'],
  ],
  operations: [
    ['ActionOffline', 'common', 'This API has been deprecated.'],
    ['DryRunOperation', 'common', 'DryRun Operation. It means that the request would have succeeded, but the DryRun parameter was used.'],
    ['FailedOperation', 'common ssl-cn ssl-intl BatchDeleteCSR', 'Operation failed.'],
    ['FailedOperation.AuthError', 'ssl-cn ssl-intl', 'You do not have permission to perform this operation.'],
    ['FailedOperation.BoundResources', 'ssl-cn ssl-intl', 'Cannot be deleted when there are unbound cloud resources.'],
    ['FailedOperation.CAMAuthorizedFail', 'ssl-cn ssl-intl', 'A CAM authentication error occurred.'],
    ['FailedOperation.CancelAuditCertificateFailed', 'ssl-cn ssl-intl', 'The certificate review could not be cancelled for an unknown reason; refresh and try again.'],
    ['FailedOperation.CancelOrderFailed', 'ssl-cn ssl-intl', 'Failed to cancel the order.'],
    ['FailedOperation.CannotBeDeletedIssued', 'ssl-cn ssl-intl', 'Failed to delete the certificate because it has been issued.'],
    ['FailedOperation.CannotBeDeletedWithinHour', 'ssl-cn ssl-intl', 'Free certificates cannot be deleted within 1 hour after being applied for.'],
    ['FailedOperation.CannotGetOrder', 'ssl-cn ssl-intl', 'Failed to get order information. Try again later.'],
    ['FailedOperation.CertificateCaError', 'ssl-cn ssl-intl', 'Note: the uploaded certificate content does not conform to the standard format of ca certificates. please check whether the certificate type is incorrect.'],
    ['FailedOperation.CertificateCancelFailedMulti', 'ssl-cn ssl-intl', 'The review of a multi-year certificate cannot be stopped after its first year.'],
    ['FailedOperation.CertificateChainError', 'ssl-cn ssl-intl', 'The certificate chain check failed; check each certificate of the chain.'],
    ['FailedOperation.CertificateCsrParseFailed', 'ssl-cn ssl-intl', 'The CSR could not be parsed.'],
    ['FailedOperation.CertificateDeployDetailRollbackStatusInvalid', 'ssl-cn ssl-intl', 'This operation can be performed only when the record status is Complete.'],
    ['FailedOperation.CertificateDeployHasPendingRecord', 'ssl-cn ssl-intl', 'There is a running certificate deployment task. Please try again after the deployment is complete.'],
    ['FailedOperation.CertificateDeployInstanceEmpty', 'ssl-cn ssl-intl', 'There is no instance for the selected cloud resource. Updating failed. Please try again after checking it.'],
    ['FailedOperation.CertificateDeployInstanceFormatError', 'ssl-cn', 'The deployment format is wrong.'],
    ['FailedOperation.CertificateDeployNotExist', 'ssl-cn ssl-intl', 'The certificate deployment record does not exist.'],
    ['FailedOperation.CertificateDeployRetryStatusInvalid', 'ssl-cn ssl-intl', 'This operation can be performed only when the record status is Failed.'],
    ['FailedOperation.CertificateDeployRollbackStatusInvalid', 'ssl-cn ssl-intl', 'A rollback can be performed only when there is a record indicating successful deployment.'],
    ['FailedOperation.CertificateDownloadServiceTypeNotSupport', 'ssl-cn', 'The certificate download service type is not supported.'],
    ['FailedOperation.CertificateEncryptInvalid', 'ssl-cn ssl-intl', 'The certificate is suspected to be an SM2 certificate and does not comply with the selected certificate standard. Please check whether the selected certificate standard and the content of the certificate are correct.'],
    ['FailedOperation.CertificateExists', 'ssl-cn ssl-intl', 'The certificate already exists.'],
    ['FailedOperation.CertificateHostDeployCanNotAllow', 'ssl-cn ssl-intl', 'The current certificate is not allowed to use the one-click update function.'],
    ['FailedOperation.CertificateHostResourceInnerInterrupt', 'ssl-cn ssl-intl', 'Unable to use the deployment feature because the login account is an internal account with too many instance resources. Please contact us to handle it.'],
    ['FailedOperation.CertificateHostResourceInstanceHugeLimit', 'ssl-cn ssl-intl', "There are too many instances under the current account. Loading cannot be performed properly. Please switch the loading mode. After switching, click 'Refresh List' and wait for a period of time. Then, all the instances can be loaded."],
    ['FailedOperation.CertificateHostResourceTypeInvalid', 'ssl-cn ssl-intl', 'The cloud resource type is invalid.'],
    ['FailedOperation.CertificateInfoSubmitContactEmailEmpty', 'ssl-cn ssl-intl', 'Mailbox cannot be empty'],
    ['FailedOperation.CertificateInfoSubmitDomainInvalid', 'ssl-cn ssl-intl', 'The input domain name %s is in incorrect format. Please check and resubmit.'],
    ['FailedOperation.CertificateInfoSubmitStatusInvalid', 'ssl-cn ssl-intl', 'Certificate status does not allow submitting documentation.'],
    ['FailedOperation.CertificateInvalid', 'ssl-cn ssl-intl', 'The certificate is invalid.'],
    ['FailedOperation.CertificateMatchError', 'ssl-cn ssl-intl', 'Note: the certificate content and private key do not match. please check (pay attention to whether there are extra spaces).'],
    ['FailedOperation.CertificateMismatch', 'ssl-cn ssl-intl', 'The certificate and the private key do not match.'],
    ['FailedOperation.CertificateNotAllowDownload', 'ssl-cn', 'The certificate is set not to be downloadable.'],
    ['FailedOperation.CertificateNotAvailable', 'ssl-cn ssl-intl', 'The certificate is not available. Please check and try again.'],
    ['FailedOperation.CertificateNotDeployInstance', 'ssl-cn ssl-intl', 'The certificate is not allowed to be deployed under the instance list.'],
    ['FailedOperation.CertificateNotFound', 'ssl-cn ssl-intl', 'The certificate does not exist.'],
    ['FailedOperation.CertificateNotFoundOrAudited', 'ssl-cn', 'The certificate does not exist or has been issued.'],
    ['FailedOperation.CertificateNotFoundOrCantCancel', 'ssl-cn ssl-intl', 'The certificate does not exist, or the review cannot be canceled.'],
    ['FailedOperation.CertificateOrderSubmitProcessing', 'ssl-cn ssl-intl', 'Your order is being processed. Please wait patiently.'],
    ['FailedOperation.CertificateOrderSubmitRootCAInvalid', 'ssl-cn ssl-intl', 'The currently selected root certificate is invalid. Please reselect.'],
    ['FailedOperation.CertificateParseError', 'ssl-cn ssl-intl', 'Parsing failed. check if the certificate meets the standard and pay attention to whether there are extra spaces.'],
    ['FailedOperation.CertificatePreVerifyEmailInvalid', 'ssl-cn ssl-intl', 'The format of the entered email address is incorrect. Please check and resubmit.'],
    ['FailedOperation.CertificateStatusNotAllowDownload', 'ssl-cn', "The certificate's status does not allow downloading it."],
    ['FailedOperation.CertificateStatusNotAllowResubmit', 'ssl-cn ssl-intl', 'You cannot re-submit a review application for a certificate in this status.'],
    ['FailedOperation.CertificateStatusNotAllowVerify', 'ssl-cn ssl-intl', 'The certificate status does not allow domain name verification.'],
    ['FailedOperation.CertificateSubmitHostingCertError', 'ssl-cn ssl-intl', 'Uploaded certificate managed renewal cannot submit order manually'],
    ['FailedOperation.CertificateSyncTaskCertificateIdCountInvalid', 'ssl-cn', 'Invalid certificate operation parameter: more than 100 certificate IDs.'],
    ['FailedOperation.CertificateSyncTaskIdInvalid', 'ssl-cn ssl-intl', 'The cert associated with the cloud resource query task id is invalid.'],
    ['FailedOperation.CertificateTypeInfoNotFound', 'ssl-cn', 'The details of this certificate type cannot be found.'],
    ['FailedOperation.CertificateWhiteFuncError', 'ssl-cn ssl-intl', 'This feature is for allow-listed users only.'],
    ['FailedOperation.ConfirmLetterTooLarge', 'ssl-cn ssl-intl', 'The confirmation letter file cannot exceed 1.4 MB.'],
    ['FailedOperation.ConfirmLetterTooSmall', 'ssl-cn ssl-intl', 'The confirmation letter file cannot be smaller than 1 KB.'],
    ['FailedOperation.DeleteFailedTimeNotUp', 'ssl-cn ssl-intl', 'Cannot be deleted when the free cert application time has not exceeded 1 hour.'],
    ['FailedOperation.DeleteResourceFailed', 'ssl-cn ssl-intl', 'The certificate is associated with a Tencent Cloud resource and cannot be deleted.'],
    ['FailedOperation.ExceedsFreeLimit', 'ssl-cn ssl-intl', 'The number of free certificates exceeds the maximum value.'],
    ['FailedOperation.FileTooLarge', 'ssl-cn', 'The file is too large (it must be under 1.4 MB).'],
    ['FailedOperation.FileTooSmall', 'ssl-cn', 'The file is too small; upload a clear image.'],
    ['FailedOperation.GenCSRFail', 'ssl-cn ssl-intl', 'The CSR could not be generated.'],
    ['FailedOperation.IllegalManagerStatus', 'ssl-cn', "The company manager's status is wrong."],
    ['FailedOperation.InvalidCertificateSource', 'ssl-cn ssl-intl', 'Certificate source error.'],
    ['FailedOperation.InvalidCertificateStatusCode', 'ssl-cn ssl-intl', 'The certificate status is incorrect.'],
    ['FailedOperation.InvalidConfirmLetterFormat', 'ssl-cn ssl-intl', 'The format of the confirmation letter file is invalid (JPG, JPEG, PNG, and PDF are supported).'],
    ['FailedOperation.InvalidConfirmLetterFormatWosign', 'ssl-cn ssl-intl', 'The format of the confirmation letter file is invalid (JPG, PDF, and GIF are supported).'],
    ['FailedOperation.InvalidFileType', 'ssl-cn', 'Wrong file format; upload it again.'],
    ['FailedOperation.InvalidParam', 'ssl-cn ssl-intl', 'Incorrect parameters.'],
    ['FailedOperation.MainDomainCertificateCountLimit', 'ssl-cn ssl-intl', 'The number of free certificates applied for under the primary domain name (%s) has reached the upper limit of %s. Please purchase a paid certificate.'],
    ['FailedOperation.ManagerCanNotDeleteCa', 'ssl-cn', "The manager's information was submitted to the CA and cannot be deleted."],
    ['FailedOperation.ManagerCanNotDeleteCert', 'ssl-cn', "The manager's information is linked to certificates and cannot be deleted."],
    ['FailedOperation.NetworkError', 'ssl-cn ssl-intl', 'The CA system is busy. Try again later.'],
    ['FailedOperation.NoProjectPermission', 'ssl-cn ssl-intl', 'You do not have the permission to operate on this project.'],
    ['FailedOperation.NoRealNameAuth', 'ssl-cn ssl-intl', 'You have not completed the identity verification.'],
    ['FailedOperation.OrderAlreadyReplaced', 'ssl-cn ssl-intl', 'This order has already been replaced.'],
    ['FailedOperation.OrderReplaceFailed', 'ssl-cn ssl-intl', 'Failed to reissue a certificate.'],
    ['FailedOperation.PackageCountLimit', 'ssl-cn ssl-intl', 'The remaining benefit points are insufficient.'],
    ['FailedOperation.PackageExpired', 'ssl-cn ssl-intl', 'The benefit package has expired.'],
    ['FailedOperation.PackageNotFound', 'ssl-cn ssl-intl', 'The benefit package does not exist.'],
    ['FailedOperation.RenewNotIssued', 'ssl-cn ssl-intl', 'Cannot perform deletion when the renewed cert has not been issued.'],
    ['FailedOperation.RevokeFailed', 'ssl-cn ssl-intl', 'Certificate revocation failed.'],
    ['FailedOperation.RevokeResourceFailed', 'ssl-cn ssl-intl', 'The cert is bound to cloud resources and cannot be revoked.'],
    ['FailedOperation.RoleNotFoundAuthorization', 'ssl-cn ssl-intl', 'The role does not exist. Please authorize the role first.'],
    ['FailedOperation.SystemError', 'ssl-cn ssl-intl', 'A system error occurred.'],
    ['FailedOperation.TradeError', 'ssl-cn', 'Billing centre error.'],
    ['FailedOperation.UploadConfirmCertificateNotSupport', 'ssl-cn ssl-intl', 'This API does not support uploading the confirmation letter; use the console.'],
    ['FailedOperation.UploadConfirmCertificateNotSupportDV', 'ssl-cn ssl-intl', 'DV certificates take no confirmation letter.'],
    ['InvalidAction', 'common', 'The API does not exist.'],
    ['InvalidRequest', 'common', 'The multipart format of the request body is incorrect.'],
    ['NoSuchProduct', 'common', 'The product does not exist.'],
    ['NoSuchVersion', 'common', 'The API version does not exist.'],
    ['RequestSizeLimitExceeded', 'common', 'The request size exceeds the upper limit.'],
    ['ResponseSizeLimitExceeded', 'common', 'The response size exceeds the upper limit.'],
    ['UnsupportedOperation', 'common', 'Unsupported operation.'],
    ['UnsupportedProtocol', 'common', 'HTTP(S) request protocol error; only GET and POST requests are supported.'],
    ['UnsupportedRegion', 'common', 'API does not support the requested region.'],
  ],
  internal: [
    ['InternalError', 'common ssl-cn ssl-intl', 'Internal error.'],
    ['InternalError.BackendResponseEmpty', 'ssl-cn ssl-intl', 'The backend service response is empty.'],
    ['InternalError.BackendResponseError', 'ssl-cn ssl-intl', 'An error occurred with the backend service response.'],
    ['ServiceUnavailable', 'common', 'Service is unavailable now.'],
  ],
};

export const DOCUMENTED_CODES: readonly DocumentedCode[] = Object.entries(rows).flatMap(([kind, kindRows]) =>
  kindRows.map(([code, sources, description]) => ({
    code,
    kind: kind as CodeKind,
    sources: sources.split(' ') as CodeSource[],
    description,
  })),
);

const byCode = new Map(DOCUMENTED_CODES.map((entry) => [entry.code, entry]));

/** The documented entry for a code, if Tencent documents it. */
export function documentedCode(code: string): DocumentedCode | undefined {
  return byCode.get(code);
}
