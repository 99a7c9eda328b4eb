/** Texts of evidence upload and display. */
export const zh = {
  evidence: {
    upload: '拍照/上传照片或视频',
    uploading: '正在上传 %{name}…',
    uploaded: '已上传 %{name}',
    failed: '上传失败：%{message}',
    remove: '移除',
    none: '尚无举证材料',
    gps: '拍摄位置',
    capturedAt: '拍摄时间',
    noGps: '无GPS',
    noTime: '无拍摄时间',
    photo: '照片',
    video: '视频',
    all: '全部举证材料',
    duplicate: '该文件已上传过',
    reuseTitle: '本图斑已有的举证材料（举证一次、多处使用，无需重复上传）',
    reuse: '使用 %{name}',
    direction: '拍摄方向',
    /** As api/services/evidence-warnings.ts writes them. */
    warning: {
      gps_far_from_patch: '%{what}拍摄位置距图斑 %{metres} 米（超过 %{limit} 米），请确认拍摄的是本图斑',
      predates_issuance: '%{what}拍摄时间早于图斑下发时间（%{issued}），可能不能反映现状',
      captured_in_future: '%{what}拍摄时间晚于上传时间（超过%{minutes}分钟），拍摄设备时钟有误或时间被改动',
      no_gps: '%{what}未包含GPS位置信息，无法核对拍摄地点',
      no_capture_time: '%{what}未包含拍摄时间',
    },
  },
};

export const en: typeof zh = {
  evidence: {
    upload: 'Take / upload photos or videos',
    uploading: 'Uploading %{name}…',
    uploaded: 'Uploaded %{name}',
    failed: 'Upload failed: %{message}',
    remove: 'Remove',
    none: 'No evidence yet',
    gps: 'Position',
    capturedAt: 'Taken at',
    noGps: 'No GPS',
    noTime: 'No capture time',
    photo: 'Photo',
    video: 'Video',
    all: 'All evidence',
    duplicate: 'This file was uploaded before',
    reuseTitle: "This patch's earlier evidence (evidenced once, used again: no need to upload it twice)",
    reuse: 'Use %{name}',
    direction: 'Facing',
    warning: {
      gps_far_from_patch: '%{what} taken %{metres} m from the patch (more than %{limit} m): check that it shows this patch',
      predates_issuance: '%{what} taken before the patch was issued (%{issued}): it may not show the current state',
      captured_in_future:
        "%{what}'s capture time is later than its upload (by more than %{minutes} minutes): the camera's clock is wrong or the time was altered",
      no_gps: '%{what} without a GPS position: where it was taken cannot be checked',
      no_capture_time: '%{what} without a capture time',
    },
  },
};
