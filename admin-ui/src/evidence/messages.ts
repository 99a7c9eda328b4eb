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
  },
};
