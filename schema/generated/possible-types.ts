
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "BatchDeleteCSRsResult": [
      "AuthFailureError",
      "BatchDeleteCSRsSuccess",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ],
    "TencentCloudError": [
      "AuthFailureError",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "BatchDeleteCSRsResult": [
      "AuthFailureError",
      "BatchDeleteCSRsSuccess",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ],
    "TencentCloudError": [
      "AuthFailureError",
      "FailedOperationError",
      "InvalidCSRIdError",
      "InvalidParameterError",
      "RateLimitExceededError",
      "UpstreamUnavailableError"
    ]
  }
};
      export default result;
    